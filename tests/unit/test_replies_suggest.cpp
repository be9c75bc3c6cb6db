// Suggestions: quality on a labelled set of real-looking inquiries, the seller's history, VIP
// and language handling, and speed on a large library.

#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <map>
#include <sstream>

#include "core/replies/library.h"
#include "core/replies/suggest.h"
#include "core/replies/tokens.h"
#include "core/text.h"

using namespace kefu;
using namespace kefu::replies;

namespace {

struct Labelled {
    std::string id;
    std::string language;
    Category category = Category::Other;
    bool angry = false;
    std::string text;
};

// Reads tests/data/labelled_inquiries.tsv by its header's column names.
std::vector<Labelled> read_labelled() {
    std::ifstream in(std::string(KEFU_SOURCE_DIR) + "/tests/data/labelled_inquiries.tsv",
                     std::ios::binary);
    std::vector<Labelled> rows;
    if (!in) {
        return rows;
    }
    std::string line;
    std::getline(in, line);
    std::map<std::string, size_t> col;
    size_t n = 0;
    for (std::string_view name : text::split(line, '\t')) {
        col[std::string(text::trim(name))] = n++;
    }
    for (const char* needed : {"id", "language", "category", "angry", "text"}) {
        REQUIRE_MESSAGE(col.count(needed) == 1, "column " << needed);
    }
    while (std::getline(in, line)) {
        if (!line.empty() && line.back() == '\r') {
            line.pop_back();
        }
        if (text::trim(line).empty()) {
            continue;
        }
        std::vector<std::string_view> f = text::split(line, '\t');
        REQUIRE(f.size() >= col.size());
        Labelled r;
        r.id = std::string(f[col["id"]]);
        r.language = std::string(f[col["language"]]);
        auto c = parse_category(f[col["category"]]);
        REQUIRE_MESSAGE(c.has_value(), r.id << ": category " << f[col["category"]]);
        r.category = *c;
        r.angry = f[col["angry"]] == "1";
        r.text = std::string(f[col["text"]]);
        rows.push_back(r);
    }
    return rows;
}

Query query_for(const std::string& body, Category category, const std::string& language = {}) {
    Query q;
    q.body = body;
    q.category = category;
    q.language = language;
    return q;
}

std::string top_id(const Library& lib, const Query& q, const std::vector<PastChoice>& history) {
    std::vector<Suggestion> s = suggest(lib, q, history, Values{}, 1);
    return s.empty() ? std::string() : s.front().tmpl->id;
}

}  // namespace

TEST_CASE("replies: tokens are Chinese bigrams and stemmed English words") {
    CHECK(tokenize("退款没收到") == std::vector<std::string>{"退款", "款没", "没收", "收到"});
    CHECK(tokenize("急") == std::vector<std::string>{"急"});
    CHECK(tokenize("The parcels were SHIPPED, tracking?") ==
          std::vector<std::string>{"parcel", "were", "ship", "track"});
    CHECK(tokenize("订单E20240104001 iPhone15") == std::vector<std::string>{"订单", "iphone15"});
    CHECK(tokenize("{salutation|亲}，您好") == std::vector<std::string>{"您好"});
    CHECK(tokenize("ＲＥＦＵＮＤ refunds refunded") ==
          std::vector<std::string>{"refund", "refund", "refund"});
    CHECK(detect_language("亲，iPhone 15 Pro 有货吗") == "zh");
    CHECK(detect_language("Can I get the 龙井 tea shipped to Berlin?") == "en");
    CHECK(detect_language("12345 !!!") == "");
}

TEST_CASE("replies: suggestions for the labelled inquiries") {
    std::vector<Labelled> rows = read_labelled();
    if (rows.empty()) {
        MESSAGE("tests/data/labelled_inquiries.tsv is not there yet");
        return;
    }
    CHECK(rows.size() >= 150);
    Library lib = Library::builtin();
    size_t category_ok = 0;
    size_t language_ok = 0;
    size_t detected_ok = 0;
    size_t angry_category_ok = 0;
    std::map<std::string, size_t> tops;
    for (const Labelled& r : rows) {
        // As triage gives it: the category, and the language detected from the text.
        Query q = query_for(r.text, r.category, detect_language(r.text));
        detected_ok += q.language == r.language ? 1 : 0;
        std::vector<Suggestion> s = suggest(lib, q, {}, Values{}, 3);
        REQUIRE(s.size() == 3);
        CHECK(s[0].score >= s[1].score);
        CHECK(s[1].score >= s[2].score);
        const Suggestion& top = s.front();
        bool cat = top.tmpl->category == r.category;
        category_ok += cat ? 1 : 0;
        language_ok += top.language == r.language ? 1 : 0;
        ++tops[top.tmpl->id];
        if (!cat) {
            MESSAGE(r.id << " [" << to_string(r.category) << "] → " << top.tmpl->id << " ("
                         << to_string(top.tmpl->category) << "): " << r.text);
        }
        // With triage's anger tag the category must still lead.
        q.tags = r.angry ? std::vector<std::string>{"angry"} : std::vector<std::string>{};
        angry_category_ok += suggest(lib, q, {}, Values{}, 1).front().tmpl->category == r.category;
    }
    double n = static_cast<double>(rows.size());
    double category_rate = static_cast<double>(category_ok) / n;
    double language_rate = static_cast<double>(language_ok) / n;
    MESSAGE("labelled inquiries: " << rows.size());
    MESSAGE("top suggestion in the row's category: " << category_ok << " (" << category_rate * 100
                                                     << "%)");
    MESSAGE("with the angry tag: " << angry_category_ok);
    MESSAGE("top suggestion in the row's language: " << language_ok << " (" << language_rate * 100
                                                     << "%)");
    MESSAGE("language detected as labelled: " << detected_ok);
    MESSAGE("distinct top templates: " << tops.size());
    CHECK(category_rate >= 0.90);
    CHECK(static_cast<double>(angry_category_ok) / n >= 0.90);
    CHECK(language_rate >= 0.98);
}

TEST_CASE("replies: each suggestion explains its score and is rendered") {
    Library lib = Library::builtin();
    Query q = query_for("物流显示已签收，但是我根本没收到包裹，家里也没人代收", Category::Logistics,
                        "zh");
    Values v;
    v.set("salutation", "王女士");
    std::vector<Suggestion> s = suggest(lib, q, {}, v, 3);
    REQUIRE(s.size() == 3);
    CHECK(s[0].tmpl->id == "delivered-not-received");
    CHECK(s[0].language == "zh");
    double sum = 0;
    for (const Reason& r : s[0].why) {
        sum += r.points;
    }
    CHECK(sum == doctest::Approx(s[0].score));
    CHECK(s[0].why.front().points >= s[0].why.back().points);
    bool category_reason = false;
    for (const Reason& r : s[0].why) {
        category_reason = category_reason || r.text() == "+3.0 category logistics";
        MESSAGE(r.text());
    }
    CHECK(category_reason);
    CHECK(s[0].rendered.text.starts_with("王女士，"));
    CHECK(s[0].rendered.complete());

    // A template that needs a value shows what is missing instead of failing.
    Query tracking =
        query_for("Can you send me the tracking number please?", Category::Logistics, "en");
    std::vector<Suggestion> t = suggest(lib, tracking, {}, Values{}, 1);
    REQUIRE(t.size() == 1);
    CHECK(t[0].tmpl->id == "shipped-tracking");
    CHECK(t[0].language == "en");
    CHECK(t[0].rendered.missing == std::vector<std::string>{"tracking_number"});
    CHECK(t[0].rendered.text.starts_with("Hi there,"));
}

TEST_CASE("replies: VIP-only templates are offered to VIP buyers only") {
    Library lib = Library::builtin();
    Query q = query_for("老客户了，又来买了，有没有优惠券呀", Category::Other, "zh");
    auto ids = [&](const Query& query) {
        std::vector<std::string> out;
        for (const Suggestion& s : suggest(lib, query, {}, Values{}, lib.all().size())) {
            out.push_back(s.tmpl->id);
        }
        return out;
    };
    std::vector<std::string> normal = ids(q);
    CHECK(std::find(normal.begin(), normal.end(), "vip-coupon") == normal.end());
    CHECK(std::find(normal.begin(), normal.end(), "vip-thanks") == normal.end());
    q.vip = true;
    std::vector<std::string> vip = ids(q);
    CHECK(vip.size() > normal.size());
    REQUIRE_FALSE(vip.empty());
    CHECK(vip.front().starts_with("vip-"));
}

TEST_CASE("replies: the buyer's language, or another one with a penalty") {
    Template zh_only;
    zh_only.id = "zh-only";
    zh_only.title = "只有中文";
    zh_only.category = Category::Refund;
    zh_only.keywords = {"refund"};
    zh_only.bodies["zh"] = "亲，退款已处理。";
    Template both = zh_only;
    both.id = "both";
    both.keywords = {};
    both.bodies["en"] = "Your refund was processed.";
    Library lib = Library::from_templates({zh_only, both});
    std::vector<Suggestion> s =
        suggest(lib, query_for("Where is my refund?", Category::Refund), {}, Values{}, 2);
    REQUIRE(s.size() == 2);
    CHECK(s[0].tmpl->id == "both");
    CHECK(s[0].language == "en");
    CHECK(s[1].language == "zh");
    bool penalty = false;
    for (const Reason& r : s[1].why) {
        penalty = penalty || (r.points < 0 && r.label.find("no en text") != std::string::npos);
    }
    CHECK(penalty);
}

TEST_CASE("replies: the seller's history makes their choice the top suggestion") {
    Library lib = Library::builtin();
    const std::string chosen = "pickup-point";
    Query q = query_for("我的包裹显示已经签收了，但是我没有收到，是不是放到哪里了",
                        Category::Logistics, "zh");
    std::string before = top_id(lib, q, {});
    MESSAGE("top without history: " << before);
    REQUIRE(before != chosen);

    std::vector<PastChoice> history;
    // Many choices for unrelated inquiries must not move this one.
    for (int i = 0; i < 40; ++i) {
        history.push_back({"退款什么时候到账？已经" + std::to_string(i) + "天了", Category::Refund,
                           "refund-issued", {}});
        history.push_back({"Do you ship to Canada? How much is shipping", Category::Logistics,
                           "remote-and-overseas", {}});
    }
    CHECK(top_id(lib, q, history) == before);

    for (const char* past : {"快递显示签收了，可是我没拿到", "物流说已签收，我家里没人收到啊",
                             "显示签收但是没收到东西", "签收了但我没收到，帮我查一下"}) {
        history.push_back({past, Category::Logistics, chosen, {}});
    }
    std::vector<Suggestion> after = suggest(lib, q, history, Values{}, 2);
    REQUIRE(after.size() == 2);
    MESSAGE("top with history: " << after[0].tmpl->id << " " << after[0].score << " over "
                                 << after[1].tmpl->id << " " << after[1].score);
    for (const Suggestion& s : after) {
        for (const Reason& r : s.why) {
            MESSAGE(s.tmpl->id << ": " << r.text());
        }
    }
    CHECK(after[0].tmpl->id == chosen);
    bool history_reason = false;
    for (const Reason& r : after[0].why) {
        history_reason = history_reason || r.label == "chosen 4× before for similar inquiries";
    }
    CHECK(history_reason);

    // Counts kept with each reply (reply.terms) rank exactly as the texts they were made of.
    std::vector<PastChoice> counted = history;
    for (PastChoice& c : counted) {
        c.terms = term_counts(c.text);
        c.text = "not read when the counts are known";
    }
    std::vector<Suggestion> from_counts = suggest(lib, q, counted, Values{}, 2);
    REQUIRE(from_counts.size() == 2);
    for (size_t i = 0; i < 2; ++i) {
        CHECK(from_counts[i].tmpl->id == after[i].tmpl->id);
        CHECK(from_counts[i].score == after[i].score);
    }

    // The same in English, for one of the seller's own templates.
    Query en = query_for("It says delivered but I never got it, nothing at the door",
                         Category::Logistics, "en");
    std::string en_before = top_id(lib, en, {});
    REQUIRE(en_before != "tracking-stalled");
    std::vector<PastChoice> en_history;
    for (const char* past : {"Tracking says delivered but I never got the parcel",
                             "says delivered, nothing at my door, where is it",
                             "marked as delivered but I did not get it"}) {
        en_history.push_back({past, Category::Logistics, "tracking-stalled", {}});
    }
    CHECK(top_id(lib, en, en_history) == "tracking-stalled");
}

TEST_CASE("replies: suggest() is fast on 500 templates and 300 past choices") {
    Library builtin = Library::builtin();
    const std::vector<Template>& base = builtin.all();
    // A deterministic generator, so the measurement is repeatable.
    uint64_t state = 12345;
    auto next = [&]() {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        return static_cast<size_t>(state >> 33);
    };
    std::vector<Template> many;
    for (size_t i = 0; i < 500; ++i) {
        Template t = base[i % base.size()];
        const Template& a = base[next() % base.size()];
        const Template& b = base[next() % base.size()];
        t.id += "-" + std::to_string(i);
        t.category = all_categories()[next() % all_categories().size()];
        t.keywords.insert(t.keywords.end(), a.keywords.begin(), a.keywords.end());
        t.tags.insert(t.tags.end(), b.tags.begin(), b.tags.end());
        for (auto& [lang, body] : t.bodies) {
            body += a.bodies.at(lang) + b.bodies.at(lang);
        }
        t.vip_only = false;
        many.push_back(std::move(t));
    }
    Library lib = Library::from_templates(std::move(many));
    REQUIRE(lib.all().size() == 500);

    std::vector<Labelled> rows = read_labelled();
    std::vector<PastChoice> history;
    for (size_t i = 0; i < 300; ++i) {
        const Template& t = lib.all()[next() % 500];
        std::string text =
            rows.empty() ? t.keywords.front() + "，" + t.title : rows[i % rows.size()].text;
        history.push_back({text, t.category, t.id, {}});
    }
    Query q = query_for("亲，我买的东西显示已经签收了但是我没收到，快递也联系不上，怎么办？急！",
                        Category::Logistics, "zh");
    suggest(lib, q, history, Values{}, 3);  // warm up
    std::vector<double> times;
    for (int i = 0; i < 21; ++i) {
        auto start = std::chrono::steady_clock::now();
        std::vector<Suggestion> s = suggest(lib, q, history, Values{}, 3);
        double ms =
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                .count();
        REQUIRE(s.size() == 3);
        times.push_back(ms);
    }
    std::sort(times.begin(), times.end());
    double median = times[times.size() / 2];
    MESSAGE("suggest() over 500 templates and 300 past choices: fastest "
            << times.front() << " ms, median " << median << " ms, slowest " << times.back()
            << " ms");
    // The fastest run is the cost of the work itself: slower runs lost the CPU to other
    // processes (tests and builds run in parallel on small machines).
#if defined(__SANITIZE_ADDRESS__) || !defined(NDEBUG)
    CHECK(times.front() < 200.0);  // instrumented or unoptimized build: only a sanity bound
#else
    CHECK(times.front() < 20.0);
#endif
}
