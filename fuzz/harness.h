#pragma once
// What each fuzz target does with its input, shared by the libFuzzer targets (fuzz/*.cpp)
// and the unit test that replays the inputs kept in tests/corpora/fuzz-regressions/.
//
// Every function feeds bytes to one parser and treats kefu::Error as the expected answer to
// bad input. Any other exception escapes (libFuzzer reports it as a crash, as it does for
// sanitizer findings), and a broken promise of the parser's interface calls KEFU_FUZZ_FAIL,
// which traps in a fuzz target and throws in a unit test.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/config.h"
#include "core/csv/reader.h"
#include "core/encoding.h"
#include "core/error.h"
#include "core/import/import.h"
#include "core/mail/mbox.h"
#include "core/mail/message.h"
#include "core/replies/library.h"
#include "core/replies/placeholders.h"
#include "core/replies/template_file.h"
#include "core/store/store.h"
#include "core/time.h"
#include "core/triage/engine.h"
#include "core/triage/rules.h"
#include "core/workflow/when.h"

#ifndef KEFU_FUZZ_FAIL
#define KEFU_FUZZ_FAIL(message) __builtin_trap()
#endif

namespace kefu_fuzz {

// "Now" for every target that needs one, fixed so that a replayed input behaves the same.
constexpr kefu::TimePoint k_now = 1763179200;  // 2025-11-15 04:00 UTC

inline std::string_view as_view(const uint8_t* data, size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

// Splits `text` at '\n' (a trailing '\r' stays in the line: parsers must cope with it).
inline std::vector<std::string_view> lines(std::string_view text) {
    std::vector<std::string_view> out;
    size_t start = 0;
    while (start <= text.size()) {
        size_t end = text.find('\n', start);
        if (end == std::string_view::npos) {
            out.push_back(text.substr(start));
            break;
        }
        out.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    return out;
}

// The interface promises of the CSV reader and the decoder, which the import relies on but
// does not expose: records come in line order and each ends at or after the line it starts
// on; a failed decode points at a byte inside the field. The raw bytes are read as the import
// reads an ASCII-compatible file, and every field is decoded both as UTF-8 (kefu's own
// validator) and as GB18030 (iconv), the two paths a Decoder can take.
inline void check_csv_reader(std::string_view data) {
    using namespace kefu;
    csv::MemorySource memory(data);
    csv::Options options;
    options.max_record_bytes = 64 * 1024;
    csv::Reader reader(memory, options);
    encoding::Decoder utf8("UTF-8");
    encoding::Decoder gb18030("GB18030");
    csv::Record record;
    uint64_t last_line = 0;
    std::string out;
    while (reader.next(record)) {
        if (record.line < last_line || record.end_line < record.line) {
            KEFU_FUZZ_FAIL("csv: record lines out of order");
        }
        last_line = record.end_line;
        for (const std::string& f : record.fields) {
            for (encoding::Decoder* decoder : {&utf8, &gb18030}) {
                out.clear();
                size_t bad = 0;
                if (!decoder->decode(f, out, &bad) && bad > f.size()) {
                    KEFU_FUZZ_FAIL("csv: bad offset past the field");
                }
            }
        }
    }
}

// CSV import as `kefu import --dry-run` runs it (kefu::import::import_csv): encoding
// detection, transcoding of wide encodings, delimiter and header search, column mapping,
// decoding, timestamps, dedupe against an empty in-memory store. A dry run writes nothing,
// so the store opened once serves every input; that it stays untouched is checked too.
inline void run_csv(std::string_view data) {
    using namespace kefu;
    check_csv_reader(data);
    static const std::unique_ptr<Store> store = Store::open(":memory:", StoreMode::Write);
    const int changes = store->db().getTotalChanges();
    try {
        import::Options options;
        options.dry_run = true;
        csv::MemorySource source(data);
        import::Summary sum = import::import_csv(*store, source, "fuzz.csv", data.size(), options,
                                                 Classifier{}, k_now, import::ProgressFn{});
        if (sum.n_new + sum.n_duplicate + sum.n_rejected > sum.records) {
            KEFU_FUZZ_FAIL("csv: more records counted than read");
        }
        if (!sum.rejects_path.empty()) {
            KEFU_FUZZ_FAIL("csv: a dry run wrote a reject file");
        }
    } catch (const kefu::Error&) {
        // An empty file, no message column, an encoding iconv does not know: expected.
    }
    if (store->db().getTotalChanges() != changes) {
        KEFU_FUZZ_FAIL("csv: a dry run wrote to the store");
    }
}

// One mail message (.eml, or one mbox entry): MIME structure, transfer encodings, charsets,
// RFC 2047 headers, HTML to text, quote and signature stripping.
inline void run_mail_message(std::string_view raw) {
    kefu::mail::looks_like_mbox(raw.substr(0, 512));
    try {
        kefu::mail::Message m = kefu::mail::parse_message(raw, "fuzz.eml");
        // The stored body is cut from the whole text; the limits of message.h hold.
        if (m.body.size() > (4u << 20) + 4096 || m.body_full.size() > (4u << 20) + 4096) {
            KEFU_FUZZ_FAIL("mail: body over the 4 MiB limit");
        }
    } catch (const kefu::Error&) {
        // Empty or oversized input: expected.
    }
}

// An mbox stream: From_ line detection, mboxrd unquoting, the per-message size cap, then each
// message parsed as mail.
inline void run_mbox(std::string_view data) {
    constexpr size_t k_cap = 16 * 1024;
    std::istringstream in{std::string(data)};
    kefu::mail::MboxReader reader(in, k_cap);
    std::string raw;
    uint64_t line = 0;
    uint64_t last_line = 0;
    size_t total = 0;
    while (reader.next(raw, line)) {
        // Messages come in input order, none longer than the cap (plus the line that crossed
        // it), all of them together no longer than the input.
        if (line < last_line) {
            KEFU_FUZZ_FAIL("mbox: messages out of order");
        }
        last_line = line;
        total += raw.size();
        if (total > data.size()) {
            KEFU_FUZZ_FAIL("mbox: more bytes out than in");
        }
        try {
            kefu::mail::parse_message(raw, "fuzz.mbox:" + std::to_string(line));
        } catch (const kefu::Error&) {
            // An empty message: expected.
        }
    }
}

// A user's rules file: parsing and checking, then (when it has no problems) the engine built
// from it classifying a few texts, which compiles and runs its keywords and RE2 regexes.
inline void run_rules(std::string_view text) {
    using namespace kefu;
    try {
        triage::ParsedRules parsed = triage::parse_rules(text, "fuzz.toml");
        triage::describe(parsed.problems);
        if (!parsed.problems.empty()) {
            return;
        }
        static const Config config;
        triage::Engine engine =
            triage::Engine::load(config, triage::RulesFile{"fuzz.toml", std::string(text)});
        triage::Input input;
        input.subject = "退款 refund 订单 E20240104001";
        input.body = "快递三天了还没到!!! where is my parcel? 差评 12315 急 asap";
        engine.classify(input, {});
        input.subject = text.substr(0, 200);
        input.body = text;
        engine.classify(input, {true, 3, 2});
    } catch (const kefu::Error&) {
        // Rules the engine refuses: expected.
    }
}

// A user's reply templates file, checked and parsed, every body of every template rendered;
// and the input itself read as one body with placeholders and rendered.
inline void run_templates(std::string_view text) {
    using namespace kefu::replies;
    static const Values values = [] {
        Values v;
        v.set("customer", "张伟");
        v.set("order_id", "E20240104001");
        v.set("shop", "小米的店");
        v.set("product", "{not a placeholder}");
        return v;
    }();
    try {
        std::vector<SyntaxProblem> problems;
        std::vector<Piece> pieces = parse_body(text, &problems);
        for (const SyntaxProblem& p : problems) {
            if (p.offset > text.size()) {
                KEFU_FUZZ_FAIL("templates: problem offset past the body");
            }
        }
        for (const Piece& p : pieces) {
            if (p.offset > text.size()) {
                KEFU_FUZZ_FAIL("templates: piece offset past the body");
            }
        }
        Rendered r = render_body(text, values);
        if (!r.complete()) {
            missing_error("fuzz", r.missing);
        }
        ParsedFile file = parse_template_file(text, "fuzz.toml", false);
        for (const Template& t : file.templates) {
            for (const auto& body : t.bodies) {
                render(t, body.first, values);
            }
        }
        Library::check_text(text, "fuzz.toml");
    } catch (const kefu::Error&) {
        // A missing placeholder or a bad file: expected.
    }
}

// Durations, timestamps and the times of the workflow flags: each input line is given to
// every parser, as a user could type it after --in, --at, --until, --within or --since.
inline void run_time(std::string_view data) {
    using namespace kefu;
    size_t n = 0;
    for (std::string_view s : lines(data)) {
        if (n++ == 64) {
            break;
        }
        std::string why;
        if (auto d = timeutil::parse_duration(s, &why)) {
            if (*d <= 0) {
                KEFU_FUZZ_FAIL("time: a duration that is not positive");
            }
            timeutil::format_span(*d);
        }
        timeutil::parse_fixed_zone(s);
        for (timeutil::Zone zone :
             {timeutil::Zone::utc(), timeutil::Zone::local(), timeutil::Zone{-43200}}) {
            if (auto t = timeutil::parse_timestamp(s, zone, &why)) {
                timeutil::format_iso(*t);
                timeutil::format_local(*t, true);
            }
        }
        if (auto t = timeutil::parse_when(s, k_now, &why)) {
            timeutil::format_iso(*t);
        }
        if (auto t = timeutil::parse_since(s, k_now, &why)) {
            timeutil::format_iso(*t);
        }
        try {
            workflow::parse_in("--in", s, k_now);
        } catch (const Error&) {
        }
        try {
            workflow::parse_at("--at", s, k_now);
        } catch (const Error&) {
        }
        try {
            workflow::parse_until("--until", s, k_now);
        } catch (const Error&) {
        }
        try {
            workflow::parse_window("--within", s);
        } catch (const Error&) {
        }
    }
}

// config.toml: parsing, then the triage engine built from it (which validates the priority
// coefficients and level thresholds).
inline void run_config(std::string_view text) {
    using namespace kefu;
    try {
        Config config = Config::parse(text, "fuzz.toml");
        triage::Engine engine = triage::Engine::load(config);
        triage::Input input;
        input.body = "快递三天了还没到!!! 差评";
        triage::Result r = engine.classify(input, {true, 2, 3});
        engine.level(r.static_score);
        engine.age_score(0, 1763179200, r.level);
    } catch (const kefu::Error&) {
        // A bad config: expected.
    }
}

}  // namespace kefu_fuzz
