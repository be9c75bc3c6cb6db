#include "core/privacy/redact.h"

#include <re2/re2.h>

#include <algorithm>
#include <memory>
#include <stdexcept>

#include "core/text.h"

namespace kefu::privacy {
namespace {

// Pieces of the Chinese address pattern. A province-level name with its optional suffix, then
// optional city and district levels; the lazy {1,4}/{1,6} keep a level from swallowing the
// words before it more than needed.
constexpr const char* k_province =
    "(?:北京|天津|上海|重庆|河北|山西|辽宁|吉林|黑龙江|江苏|浙江|安徽|福建|江西|山东|河南|湖北|"
    "湖南|"
    "广东|海南|四川|贵州|云南|陕西|甘肃|青海|台湾|内蒙古|广西|西藏|宁夏|新疆|香港|澳门)"
    "(?:省|市|壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区)?";
constexpr const char* k_city = "\\p{Han}{1,4}?(?:市|自治州|州|盟|地区)";
constexpr const char* k_district = "\\p{Han}{1,6}?(?:区|县|旗)";
constexpr const char* k_road = "[\\p{Han}A-Za-z0-9]{0,10}?(?:大街|大道|路|街|巷|弄|胡同)";
constexpr const char* k_house = "\\s?[0-9０-９]{1,5}(?:号|號)";
constexpr const char* k_building =
    "(?:[\\s,，]?[\\p{Han}A-Za-z0-9#\\- ]{0,20}?"
    "(?:[0-9A-Za-z]{1,4}(?:座|栋|幢|单元|号楼|楼)[0-9A-Za-z\\-]{0,6}(?:室|号)?|[0-9]{1,5}(?:室|房))"
    ")?";

constexpr const char* k_en_street =
    "\\b[0-9]{1,6}[A-Za-z]?\\s+(?:[A-Z][A-Za-z0-9'.\\-]*\\s+){0,4}"
    "(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl|"
    "Terrace|Ter|Circle|Cir|Highway|Hwy|Parkway|Pkwy|Square|Sq|Close|Crescent|Cres|Row)\\b\\.?"
    "(?:,?\\s*(?:Apt|Apartment|Suite|Ste|Unit|Flat|#)\\.?\\s*#?[A-Za-z0-9\\-]+)?";
constexpr const char* k_en_city_line =
    "\\b[A-Z][A-Za-z.'\\-]+(?:\\s[A-Z][A-Za-z.'\\-]+){0,2},\\s*[A-Z]{2}\\s+[0-9]{5}(?:-[0-9]{4})?"
    "\\b";
constexpr const char* k_uk_postcode = "\\b[A-Z]{1,2}[0-9][A-Z0-9]?\\s[0-9][A-Z]{2}\\b";
constexpr const char* k_po_box = "\\b(?:P\\.?\\s?O\\.?\\s?Box|PO Box)\\s+[0-9]+\\b";

enum class Boundary { None, Digits };

struct Pattern {
    PiiKind kind;
    std::unique_ptr<RE2> re;
    Boundary boundary;
};

std::unique_ptr<RE2> compile(const std::string& pattern, bool case_insensitive = false) {
    RE2::Options opt;
    opt.set_encoding(RE2::Options::EncodingUTF8);
    opt.set_log_errors(false);
    opt.set_case_sensitive(!case_insensitive);
    auto re = std::make_unique<RE2>(pattern, opt);
    if (!re->ok()) {
        throw std::logic_error("bad built-in pattern: " + re->error());
    }
    return re;
}

const std::vector<Pattern>& patterns() {
    static const std::vector<Pattern> k_patterns = [] {
        std::vector<Pattern> p;
        p.push_back(
            {PiiKind::Email,
             compile("[A-Za-z0-9._%+\\-]+@[A-Za-z0-9\\-]+(?:\\.[A-Za-z0-9\\-]+)*\\.[A-Za-z]{2,}"),
             Boundary::None});
        p.push_back(
            {PiiKind::IdNumber,
             compile("[1-9][0-9]{5}(?:18|19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])"
                     "[0-9]{3}[0-9Xx]"),
             Boundary::Digits});
        std::string prov(k_province), city(k_city), dist(k_district);
        p.push_back({PiiKind::Address,
                     compile("(?:" + prov + ")?(?:" + city + ")?(?:" + dist + ")?" + k_road +
                             k_house + k_building),
                     Boundary::None});
        p.push_back({PiiKind::Address,
                     compile("(?:" + prov + "(?:" + city + ")?|" + city + ")" + dist +
                             "[\\p{Han}A-Za-z0-9#\\-]{2,25}"),
                     Boundary::None});
        p.push_back({PiiKind::Address, compile(k_en_street), Boundary::None});
        p.push_back({PiiKind::Address, compile(k_en_city_line), Boundary::None});
        p.push_back({PiiKind::Address, compile(k_uk_postcode), Boundary::None});
        p.push_back({PiiKind::Address, compile(k_po_box, true), Boundary::None});
        p.push_back({PiiKind::Phone,
                     compile("(?:\\+?86[\\s\\-]?)?1[3-9][0-9](?:[\\s\\-]?[0-9]{4}){2}"),
                     Boundary::Digits});
        p.push_back({PiiKind::Phone, compile("0[1-9][0-9]{1,2}-[0-9]{7,8}"), Boundary::Digits});
        p.push_back({PiiKind::Phone,
                     compile("\\+[0-9]{1,3}[\\s\\-]?(?:\\([0-9]{1,4}\\)[\\s\\-]?)?[0-9]{2,4}"
                             "(?:[\\s\\-]?[0-9]{2,4}){1,4}"),
                     Boundary::Digits});
        p.push_back({PiiKind::Phone,
                     compile("(?:\\([0-9]{3}\\)\\s?|[0-9]{3}[\\-.])[0-9]{3}[\\-.][0-9]{4}"),
                     Boundary::Digits});
        return p;
    }();
    return k_patterns;
}

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

// Where a Chinese address match starts too early ("寄到上海市…": the city level took the two
// characters before 上海), it is moved to the province name inside it, provided that no
// level of the address (市, 区 …) comes before that name ("杭州市西湖区浙江路" stays whole).
size_t address_start(std::string_view text, size_t b, size_t e) {
    static const RE2 k_province_re(k_province);
    re2::StringPiece whole(text.data(), e);
    re2::StringPiece m;
    if (b >= e || !k_province_re.Match(whole, b, e, RE2::UNANCHORED, &m, 1) ||
        m.data() == text.data() + b) {
        return b;
    }
    size_t p = static_cast<size_t>(m.data() - text.data());
    std::string_view before = text.substr(b, p - b);
    for (std::string_view level : {"省", "市", "区", "县", "州", "旗", "盟"}) {
        if (before.find(level) != std::string_view::npos) {
            return b;
        }
    }
    return p;
}

// The check character of a Chinese resident ID (GB 11643): weights 2^(17-i) mod 11.
bool id_checksum_ok(std::string_view id) {
    static constexpr int k_weights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    static constexpr char k_check[] = "10X98765432";
    int sum = 0;
    for (size_t i = 0; i < 17; ++i) {
        sum += (id[i] - '0') * k_weights[i];
    }
    char c = id[17] == 'x' ? 'X' : id[17];
    return k_check[sum % 11] == c;
}

bool id_keyword_before(std::string_view text, size_t begin) {
    size_t from = begin > 24 ? begin - 24 : 0;
    std::string_view before = text.substr(from, begin - from);
    return before.find("身份证") != std::string_view::npos ||
           before.find("证件") != std::string_view::npos ||
           before.find("ID") != std::string_view::npos;
}

bool overlaps(const std::vector<PiiSpan>& spans, size_t b, size_t e) {
    return std::any_of(spans.begin(), spans.end(),
                       [&](const PiiSpan& s) { return b < s.end && s.begin < e; });
}

// Adds every match of `re` in `text` that is not already covered, checking the kind's extra
// conditions (digit boundaries, the ID check character).
void collect(const RE2& re, PiiKind kind, Boundary boundary, std::string_view text,
             std::vector<PiiSpan>& out, std::vector<PiiSpan>& found) {
    re2::StringPiece whole(text.data(), text.size());
    size_t pos = 0;
    re2::StringPiece m;
    while (pos <= text.size() && re.Match(whole, pos, text.size(), RE2::UNANCHORED, &m, 1)) {
        size_t b = static_cast<size_t>(m.data() - text.data());
        size_t e = b + m.size();
        bool ok = e > b;
        if (ok && kind == PiiKind::Address) {
            b = address_start(text, b, e);
        }
        if (ok && boundary == Boundary::Digits) {
            ok = (b == 0 || !is_digit(text[b - 1])) && (e == text.size() || !is_digit(text[e]));
            if (ok && kind == PiiKind::IdNumber) {
                ok = id_checksum_ok(text.substr(b, e - b)) || id_keyword_before(text, b);
            }
        }
        if (ok && !overlaps(out, b, e)) {
            found.push_back({kind, b, e});
            pos = e;
        } else {
            // Try again one character later: a shorter match may start inside this one.
            size_t next = b;
            text::next_code_point(text, next);
            pos = std::max(next, pos + 1);
        }
    }
}

}  // namespace

std::string_view placeholder(PiiKind kind) {
    switch (kind) {
        case PiiKind::Email:
            return "[email]";
        case PiiKind::IdNumber:
            return "[id number]";
        case PiiKind::Address:
            return "[address]";
        case PiiKind::Phone:
            return "[phone]";
        case PiiKind::Name:
            return "[name]";
    }
    return "[?]";
}

std::vector<PiiSpan> find_personal_data(std::string_view text) {
    std::vector<PiiSpan> spans;
    for (const Pattern& p : patterns()) {
        std::vector<PiiSpan> found;
        collect(*p.re, p.kind, p.boundary, text, spans, found);
        spans.insert(spans.end(), found.begin(), found.end());
    }
    std::sort(spans.begin(), spans.end(),
              [](const PiiSpan& a, const PiiSpan& b) { return a.begin < b.begin; });
    return spans;
}

std::vector<PiiSpan> find_contacts(std::string_view text) {
    std::vector<PiiSpan> spans;
    for (const Pattern& p : patterns()) {
        if (p.kind != PiiKind::Email && p.kind != PiiKind::Phone) {
            continue;
        }
        std::vector<PiiSpan> found;
        collect(*p.re, p.kind, p.boundary, text, spans, found);
        spans.insert(spans.end(), found.begin(), found.end());
    }
    std::sort(spans.begin(), spans.end(),
              [](const PiiSpan& a, const PiiSpan& b) { return a.begin < b.begin; });
    return spans;
}

struct Redactor::Impl {
    std::unique_ptr<RE2> names;  // null when there is no usable name
};

namespace {

bool ascii_word_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) || c == '_';
}

size_t code_points(std::string_view s) {
    size_t n = 0;
    for (size_t i = 0; i < s.size();) {
        text::next_code_point(s, i);
        ++n;
    }
    return n;
}

// One alternative of the names pattern: the literal, with word boundaries where it begins or
// ends in an ASCII letter or digit (so that "Tom" does not mask "Tomorrow").
std::string name_alternative(std::string_view name) {
    std::string alt;
    if (ascii_word_char(name.front())) {
        alt += "\\b";
    }
    alt += RE2::QuoteMeta(re2::StringPiece(name.data(), name.size()));
    if (ascii_word_char(name.back())) {
        alt += "\\b";
    }
    return alt;
}

}  // namespace

Redactor::Redactor(const std::vector<std::string>& names) : m_impl(new Impl) {
    std::vector<std::string> literals;
    auto add = [&](std::string_view s) {
        s = text::trim(s);
        if (code_points(s) >= 2 && s.find('[') == std::string_view::npos) {
            literals.emplace_back(s);
        }
    };
    for (const auto& raw : names) {
        std::string_view n = text::trim(raw);
        add(n);
        // Each word of a Latin-script name ("Emma" signs "Emma Wilson"'s mails).
        if (n.find(' ') != std::string_view::npos && std::all_of(n.begin(), n.end(), [](char c) {
                return static_cast<unsigned char>(c) < 0x80;
            })) {
            for (auto w : text::split(n, ' ')) {
                add(w);
            }
        }
    }
    if (literals.empty()) {
        return;
    }
    // Longest first, so that "Emma Wilson" is one [name] rather than two.
    std::sort(literals.begin(), literals.end(),
              [](const auto& a, const auto& b) { return a.size() > b.size(); });
    literals.erase(std::unique(literals.begin(), literals.end()), literals.end());
    std::string pattern;
    for (const auto& l : literals) {
        pattern += (pattern.empty() ? "" : "|") + name_alternative(l);
    }
    m_impl->names = compile("(?:" + pattern + ")", true);
}

Redactor::~Redactor() {
    delete m_impl;
}
Redactor::Redactor(Redactor&& other) noexcept : m_impl(other.m_impl) {
    other.m_impl = nullptr;
}
Redactor& Redactor::operator=(Redactor&& other) noexcept {
    if (this != &other) {
        delete m_impl;
        m_impl = other.m_impl;
        other.m_impl = nullptr;
    }
    return *this;
}

std::string Redactor::redact(std::string_view text, size_t* count) const {
    std::vector<PiiSpan> spans;
    if (m_impl != nullptr && m_impl->names) {
        std::vector<PiiSpan> found;
        collect(*m_impl->names, PiiKind::Name, Boundary::None, text, spans, found);
        spans = std::move(found);
    }
    // Contacts and addresses found by pattern. Where one overlaps names (an email whose
    // local part is the buyer's name), the two become one span of the pattern's kind, so
    // that no part of either is left readable.
    for (PiiSpan s : find_personal_data(text)) {
        std::vector<PiiSpan> kept;
        for (const PiiSpan& n : spans) {
            if (n.begin < s.end && s.begin < n.end) {
                s.begin = std::min(s.begin, n.begin);
                s.end = std::max(s.end, n.end);
            } else {
                kept.push_back(n);
            }
        }
        kept.push_back(s);
        spans = std::move(kept);
    }
    std::sort(spans.begin(), spans.end(),
              [](const PiiSpan& a, const PiiSpan& b) { return a.begin < b.begin; });
    std::string out;
    out.reserve(text.size());
    size_t at = 0;
    for (const PiiSpan& s : spans) {
        out.append(text.substr(at, s.begin - at));
        out.append(placeholder(s.kind));
        at = s.end;
    }
    out.append(text.substr(at));
    if (count != nullptr) {
        *count = spans.size();
    }
    return out;
}

}  // namespace kefu::privacy
