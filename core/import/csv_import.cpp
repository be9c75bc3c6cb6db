// CSV import: encoding, header, columns, and each record into the store. Bad records go to
// the reject file with their line and the reason; the rest still imports.

#include <fmt/format.h>
#include <xxhash.h>

#include <array>
#include <atomic>

#include "core/csv/reader.h"
#include "core/encoding.h"
#include "core/error.h"
#include "core/import/import.h"
#include "core/import/pipeline.h"
#include "core/import/rejects.h"
#include "core/text.h"

namespace kefu::import {
namespace {

constexpr size_t k_sample_bytes = size_t{1} << 20;
constexpr int k_header_search_records = 40;
constexpr uint64_t k_progress_every = 8192;

// Counts (and hashes) the bytes that pass through, for progress and the import's hash.
class CountingSource : public csv::Source {
public:
    explicit CountingSource(csv::Source& inner) : m_inner(inner) { XXH3_128bits_reset(m_state); }
    ~CountingSource() override { XXH3_freeState(m_state); }
    CountingSource(const CountingSource&) = delete;
    CountingSource& operator=(const CountingSource&) = delete;
    size_t read(char* buf, size_t capacity) override {
        size_t n = m_inner.read(buf, capacity);
        XXH3_128bits_update(m_state, buf, n);
        m_bytes.fetch_add(n, std::memory_order_relaxed);
        return n;
    }
    uint64_t bytes() const { return m_bytes.load(std::memory_order_relaxed); }
    std::string hash_hex() const {
        XXH128_hash_t h = XXH3_128bits_digest(m_state);
        return fmt::format("{:016x}{:016x}", h.high64, h.low64);
    }

private:
    csv::Source& m_inner;
    XXH3_state_t* m_state = XXH3_createState();
    std::atomic<uint64_t> m_bytes{0};
};

bool is_blank(const csv::Record& r) {
    for (const auto& f : r.fields) {
        if (!text::trim(f).empty()) {
            return false;
        }
    }
    return true;
}

GoodsKind parse_goods(std::string_view s) {
    std::string v = text::fold(text::trim(s));
    if (v.empty()) {
        return GoodsKind::Unknown;
    }
    for (std::string_view w : {"virtual", "digital", "虚拟", "卡密", "数字", "电子", "download"}) {
        if (v.find(w) != std::string::npos) {
            return GoodsKind::Virtual;
        }
    }
    for (std::string_view w : {"physical", "实物", "实体", "goods", "shipped"}) {
        if (v.find(w) != std::string::npos) {
            return GoodsKind::Physical;
        }
    }
    return GoodsKind::Unknown;
}

// The headers for a message, quoted: at most the first 12, each cut at 40 columns, so that a
// file that is not a CSV at all still gives a line that can be read.
std::string joined(const std::vector<std::string>& headers) {
    constexpr size_t k_most = 12;
    constexpr size_t k_width = 40;
    std::string s;
    for (size_t i = 0; i < headers.size() && i < k_most; ++i) {
        if (!s.empty()) {
            s += ", ";
        }
        s += '"' + text::truncate_to_width(text::one_line(text::trim(headers[i])), k_width) + '"';
    }
    if (headers.size() > k_most) {
        s += fmt::format(" and {} more", headers.size() - k_most);
    }
    return s;
}

// What a file that is not text is, by its first bytes (empty: none of these). Sellers export
// from spreadsheets, so a workbook given as a CSV is the usual mistake.
std::string binary_kind(std::string_view head) {
    struct Magic {
        std::string_view bytes;
        std::string_view what;
    };
    static constexpr std::array<Magic, 6> k_magic = {{
        {std::string_view("PK\x03\x04", 4), "a zip archive, such as an Excel workbook (.xlsx)"},
        {std::string_view("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8),
         "an Office file, such as an old Excel workbook (.xls) or an Outlook message (.msg)"},
        {"%PDF-", "a PDF document"},
        {std::string_view("\x1F\x8B", 2), "gzip-compressed"},
        {std::string_view("SQLite format 3\0", 16), "an SQLite database"},
        {std::string_view("Rar!\x1A\x07", 6), "a RAR archive"},
    }};
    for (const auto& m : k_magic) {
        if (head.starts_with(m.bytes)) {
            return std::string(m.what);
        }
    }
    return {};
}

// Statement of the SQL-free part: turns decoded fields into a NewInquiry.
struct RowBuilder {
    const ColumnMap& map;
    std::string name;
    std::string default_channel;
    timeutil::Zone zone;
    TimePoint now;

    // Returns the reason when the row cannot be imported.
    std::optional<std::string> build(const std::vector<std::string>& f, uint64_t line, NewInquiry& in) const {
        auto get = [&](Field field) -> std::string_view {
            int i = map[field];
            return i >= 0 && static_cast<size_t>(i) < f.size() ? text::trim(f[static_cast<size_t>(i)])
                                                                : std::string_view();
        };
        in = NewInquiry{};
        in.body = text::unix_newlines(std::string(get(Field::Body)));
        if (in.body.empty()) {
            return std::string("empty message (the message column is blank)");
        }
        if (in.body.find('\0') != std::string::npos) {
            return std::string("the message contains NUL bytes (binary data, not text)");
        }
        in.source = fmt::format("{}:{}", name, line);
        in.external_id = std::string(get(Field::ExternalId));
        if (map[Field::Received] >= 0) {
            std::string_view t = get(Field::Received);
            std::string why;
            auto when = timeutil::parse_timestamp(t, zone, &why);
            if (!when) {
                return t.empty() ? std::string("empty time") : why;
            }
            in.received_at = *when;
        } else {
            in.received_at = now;
            in.time_from_import = true;
        }
        std::string channel = text::ascii_lower(get(Field::Channel));
        in.channel = channel.empty() ? default_channel : channel;
        in.buyer.name = std::string(get(Field::Customer));
        in.buyer.channel = in.channel;
        in.buyer.name_is_handle = true;
        in.buyer.email = std::string(get(Field::Email));
        in.buyer.phone = std::string(get(Field::Phone));
        std::string contact(get(Field::Contact));
        if (!contact.empty()) {
            if (in.buyer.email.empty() && !normalize_email(contact).empty()) {
                in.buyer.email = contact;
            } else if (in.buyer.phone.empty() && !normalize_phone(contact).empty()) {
                in.buyer.phone = contact;
            }
        }
        in.contact = !contact.empty() ? contact : !in.buyer.email.empty() ? in.buyer.email : in.buyer.phone;
        in.order_id = std::string(get(Field::OrderId));
        in.product = std::string(get(Field::Product));
        in.goods_kind = parse_goods(get(Field::GoodsKind));
        in.subject = text::one_line(get(Field::Subject));
        return std::nullopt;
    }
};

struct Header {
    bool found = false;
    std::vector<std::string> names;
    ColumnMap map;
    uint64_t line = 0;
    uint64_t skipped = 0;
    std::vector<std::string> first_names;  // the first non-blank line, for the error message
    uint64_t first_line = 0;
};

// Finds the header: the first record naming a message column among recognisable ones, or
// naming only a message column on the first line (exports often start with a few lines about
// the export itself).
Header find_header(csv::Reader& reader, encoding::Decoder& decoder, const Preset* preset,
                   const std::map<Field, std::string>& overrides, const std::string& name) {
    Header h;
    csv::Record rec;
    for (int k = 0; k < k_header_search_records && reader.next(rec); ++k) {
        if (is_blank(rec)) {
            ++h.skipped;
            continue;
        }
        std::vector<std::string> cand;
        for (const auto& f : rec.fields) {
            std::string s;
            decoder.decode_lossy(f, s);
            cand.emplace_back(text::trim(s));
        }
        if (h.first_names.empty()) {
            h.first_names = cand;
            h.first_line = rec.line;
        }
        ColumnMap m;
        try {
            m = map_columns(cand, preset, overrides, name);
        } catch (const Error&) {
            ++h.skipped;
            continue;  // an override names a column this line does not have
        }
        // A line that names the message among other known columns is the header wherever it
        // is; one that names only the message is when it is the file's first line (a lone
        // "留言" or "message" further down is more likely a line about the export).
        bool first = h.first_line == rec.line;
        if (m[Field::Body] >= 0 && (m.recognised() >= 2 || !overrides.empty() || first)) {
            h.names = std::move(cand);
            h.map = m;
            h.line = rec.line;
            h.found = true;
            return h;
        }
        ++h.skipped;
    }
    return h;
}

// The delimiter under which the start of the file has the best header; 0 when none has one.
char delimiter_by_header(std::string_view sample, const std::string& enc, const Preset* preset,
                         const std::map<Field, std::string>& overrides, const std::string& name) {
    char best = 0;
    size_t best_score = 0;
    for (char d : {',', '\t', ';', '|'}) {
        csv::MemorySource mem(sample.substr(0, 65536));
        csv::Options opt;
        opt.delimiter = d;
        csv::Reader r(mem, opt);
        encoding::Decoder dec(enc);
        Header h = find_header(r, dec, preset, overrides, name);
        if (h.found && h.map.recognised() > best_score) {
            best = d;
            best_score = h.map.recognised();
        }
    }
    return best;
}

}  // namespace

Summary import_csv(Store& store, csv::Source& file, const std::string& name, uint64_t total_bytes,
                   const Options& options, const Classifier& classifier, TimePoint now,
                   const ProgressFn& progress) {
    Summary sum;
    sum.source = name;
    sum.kind = "csv";

    const std::optional<Preset>& preset = options.preset;
    timeutil::Zone zone = options.zone;
    if (!options.zone_given && preset && !preset->timezone.empty()) {
        auto z = timeutil::parse_fixed_zone(preset->timezone);
        if (!z) {
            throw Error("bad preset", preset->name,
                        fmt::format("timezone \"{}\" must be an offset like +08:00", preset->timezone));
        }
        zone = *z;
    }

    CountingSource counted(file);
    std::string sample(k_sample_bytes, '\0');
    size_t got = 0;
    while (got < sample.size()) {
        size_t n = counted.read(sample.data() + got, sample.size() - got);
        if (n == 0) {
            break;
        }
        got += n;
    }
    bool complete = got < sample.size();
    sample.resize(got);
    if (sample.empty()) {
        throw Error("nothing to import", name, "the file is empty");
    }
    if (std::string kind = binary_kind(sample); !kind.empty() && options.encoding.empty()) {
        throw Error("not a CSV file", name, "it is " + kind,
                    "open it in Excel or WPS and save it as CSV (UTF-8), then import the CSV file");
    }

    std::string enc_name = !options.encoding.empty() ? options.encoding
                           : preset && !preset->encoding.empty() ? preset->encoding
                                                                 : std::string();
    size_t bom = 0;
    if (enc_name.empty()) {
        encoding::Detected d = encoding::detect(sample, complete);
        enc_name = d.name;
        bom = d.bom_length;
        if (!d.confident) {
            sum.notes.push_back(fmt::format("encoding not certain; read as {} (set --encoding if "
                                            "the text looks wrong)", d.name));
        }
    } else {
        encoding::Detected d = encoding::detect(sample.substr(0, 4), true);
        if (d.bom_length > 0 && encoding::canonical_name(enc_name).starts_with(d.name.substr(0, 5))) {
            bom = d.bom_length;
        }
    }
    enc_name = encoding::canonical_name(enc_name);
    sample.erase(0, bom);
    sum.encoding = enc_name;

    std::string joined_source_prefix = sample.substr(0, 65536);
    csv::PrefixedSource joined_source(std::move(sample), counted);
    bool wide = enc_name.starts_with("UTF-16") || enc_name.starts_with("UTF-32") ||
                enc_name == "UCS-2" || enc_name == "HZ-GB-2312" || enc_name == "UTF-7" ||
                enc_name.starts_with("ISO-2022");
    std::unique_ptr<csv::TranscodingSource> transcoder;
    csv::Source* source = &joined_source;
    if (wide) {
        transcoder = std::make_unique<csv::TranscodingSource>(joined_source, enc_name);
        source = transcoder.get();
    }
    encoding::Decoder decoder(wide ? "UTF-8" : enc_name);

    csv::Options copt;
    copt.delimiter = options.delimiter != 0 ? options.delimiter : preset ? preset->delimiter : 0;
    if (copt.delimiter == 0 && !wide) {
        copt.delimiter = delimiter_by_header(joined_source_prefix, enc_name, preset ? &*preset : nullptr,
                                             options.map, name);
    }
    csv::Reader reader(*source, copt);
    Header header = find_header(reader, decoder, preset ? &*preset : nullptr, options.map, name);
    if (!header.found) {
        if (header.first_names.empty()) {
            throw Error("nothing to import", name, "the file has no header line");
        }
        // Let an override that names a missing column say so, else say what the first line held.
        map_columns(header.first_names, preset ? &*preset : nullptr, options.map,
                    fmt::format("{}:{}", name, header.first_line));
        throw Error("no message column", fmt::format("{}:{}", name, header.first_line),
                    fmt::format("the headers are {}", joined(header.first_names)),
                    fmt::format("name the column that holds the buyer's text with --map body=HEADER "
                                "(fields: {}), or use --preset", field_names()));
    }
    const std::vector<std::string>& headers = header.names;
    const ColumnMap& map = header.map;
    const uint64_t header_line = header.line;
    const uint64_t skipped = header.skipped;
    csv::Record rec;
    sum.n_skipped = skipped;
    if (header_line > 1 && skipped > 0) {
        sum.notes.push_back(fmt::format("header found on line {}; {} line(s) before it skipped",
                                        header_line, skipped));
    }
    sum.delimiter = reader.delimiter();
    if (map[Field::Received] < 0) {
        sum.notes.push_back("no time column: messages are dated at import time");
    }

    std::string rejects_path = options.rejects_file;
    RejectWriter rejects(rejects_path.empty() ? default_rejects_path(options.rejects_dir, name, now)
                                              : rejects_path,
                         name, wide ? "UTF-8" : enc_name, options.dry_run);
    rejects.check_writable();
    int64_t import_id = begin_import(store, name, "csv", now, options.dry_run);
    InquiryWriter writer(store, import_id, classifier, now, options.batch_size, options.dry_run);
    RowBuilder builder{map, name, text::ascii_lower(preset && !preset->channel.empty() ? preset->channel : options.channel), zone, now};

    auto reject = [&](const csv::Record& r, const std::string& why) {
        rejects.add(r.line, why, r.raw, r.raw_truncated);
        writer.count_rejected();
    };

    // Reading, decoding, triage of the text and full-text tokens run on a second thread;
    // this one writes.
    struct Work {
        enum class Kind { Row, Reject, Blank } kind = Kind::Row;
        NewInquiry in;
        PreparedRecord prepared;
        csv::Record rec;
        std::string why;
        uint64_t bytes = 0;
    };
    using Batch = std::vector<Work>;
    constexpr size_t k_batch = 256;
    uint64_t records = 0;
    run_pipeline<Batch>(
        [&](const std::function<bool(Batch&&)>& emit) {
            std::vector<std::string> decoded;
            Batch batch;
            batch.reserve(k_batch);
            csv::Record r;
            while (reader.next(r)) {
                Work& w = batch.emplace_back();
                w.bytes = counted.bytes();
                if (is_blank(r) && r.error.empty()) {
                    w.kind = Work::Kind::Blank;
                } else if (!r.error.empty()) {
                    w.why = r.error;
                } else if (r.fields.size() < headers.size()) {
                    w.why = fmt::format("{} field(s), but the header has {}", r.fields.size(), headers.size());
                } else {
                    bool extra = false;
                    for (size_t i = headers.size(); i < r.fields.size(); ++i) {
                        extra = extra || !text::trim(r.fields[i]).empty();
                    }
                    if (extra) {
                        w.why = fmt::format("{} fields, but the header has {}", r.fields.size(), headers.size());
                    }
                }
                if (w.kind == Work::Kind::Row && w.why.empty()) {
                    decoded.resize(headers.size());
                    for (size_t i = 0; i < headers.size() && w.why.empty(); ++i) {
                        decoded[i].clear();
                        size_t bad = 0;
                        if (!decoder.decode(r.fields[i], decoded[i], &bad)) {
                            // Read through the transcoder, the field is UTF-8 and its bad
                            // bytes are 0xFF (csv::TranscodingSource): no input offset to give.
                            w.why = wide ? fmt::format("column \"{}\" holds characters that are not valid "
                                                       "{} (each shown as \\xFF)",
                                                       text::one_line(headers[i]), enc_name)
                                         : fmt::format("column \"{}\" is not valid {} text (byte {} of "
                                                       "the field)",
                                                       text::one_line(headers[i]), decoder.name(), bad + 1);
                        }
                    }
                    if (w.why.empty()) {
                        if (auto problem = builder.build(decoded, r.line, w.in)) {
                            w.why = *problem;
                        }
                    }
                    if (w.why.empty()) {
                        prepare_record(w.in, classifier, w.prepared);
                    }
                }
                if (!w.why.empty()) {
                    w.kind = Work::Kind::Reject;
                    w.rec = std::move(r);
                }
                if (batch.size() == k_batch) {
                    if (!emit(std::move(batch))) {
                        return;
                    }
                    batch = Batch();
                    batch.reserve(k_batch);
                }
            }
            if (!batch.empty()) {
                emit(std::move(batch));
            }
        },
        [&](Batch& batch) {
            for (Work& w : batch) {
                if (progress && ++records % k_progress_every == 0) {
                    progress({w.bytes, total_bytes, records});
                } else if (!progress) {
                    ++records;
                }
                switch (w.kind) {
                    case Work::Kind::Blank:
                        ++sum.n_skipped;
                        break;
                    case Work::Kind::Reject:
                        reject(w.rec, w.why);
                        break;
                    case Work::Kind::Row:
                        writer.add(w.in, &w.prepared);
                        break;
                }
            }
        });
    if (transcoder && transcoder->bad_units() > 0) {
        sum.notes.push_back(fmt::format("{} character(s) were not valid {}: the records that hold "
                                        "them are in the reject file",
                                        transcoder->bad_units(), enc_name));
    }
    rejects.close();
    sum.rejects_path = rejects.written_path();
    sum.dry_rejects = rejects.listed();
    writer.finish(sum.rejects_path);
    if (!options.dry_run) {
        SQLite::Statement h(store.db(), "UPDATE import SET content_hash = ? WHERE id = ?");
        h.bind(1, counted.hash_hex());
        h.bind(2, import_id);
        h.exec();
    }
    if (progress) {
        progress({counted.bytes(), total_bytes, records});
    }
    sum.records = records;
    sum.n_new = writer.n_new();
    sum.n_duplicate = writer.n_duplicate();
    sum.n_rejected = writer.n_rejected();
    sum.n_flagged = writer.n_flagged();
    return sum;
}

}  // namespace kefu::import
