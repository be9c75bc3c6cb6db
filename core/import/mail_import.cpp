// Mail import: mbox files, single messages (.eml, stdin) and folders (maildirs, nested ones,
// loose message files) into the queue. Messages are parsed on a second thread (GMime is
// thread-safe there); this one writes. The mail store itself is only read.

#include <sys/stat.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <istream>
#include <set>
#include <streambuf>

#include "core/error.h"
#include "core/files.h"
#include "core/import/import.h"
#include "core/import/pipeline.h"
#include "core/import/rejects.h"
#include "core/mail/maildir.h"
#include "core/mail/mbox.h"
#include "core/mail/message.h"
#include "core/store/customers.h"
#include "core/text.h"
#include "core/time.h"

namespace kefu::import {
namespace fs = std::filesystem;
namespace {

constexpr size_t k_batch = 64;
constexpr size_t k_reject_record_bytes = 64 * 1024;
constexpr size_t k_skipped_named = 5;  // files that are not mail named in the note, at most

// A std::istream over a csv::Source, so that the mbox reader can read stdin or a file with the
// bytes already peeked at put back in front.
class SourceBuf : public std::streambuf {
public:
    explicit SourceBuf(csv::Source& source) : m_source(source), m_buf(65536) {}

protected:
    int_type underflow() override {
        if (gptr() < egptr()) {
            return traits_type::to_int_type(*gptr());
        }
        size_t n = m_source.read(m_buf.data(), m_buf.size());
        m_bytes += n;
        if (n == 0) {
            return traits_type::eof();
        }
        setg(m_buf.data(), m_buf.data(), m_buf.data() + n);
        return traits_type::to_int_type(*gptr());
    }

public:
    uint64_t bytes() const { return m_bytes; }

private:
    csv::Source& m_source;
    std::vector<char> m_buf;
    uint64_t m_bytes = 0;
};

// "Tue Mar  4 03:33:20 2003" at the end of an mbox From_ line, as UTC.
std::optional<TimePoint> from_line_date(std::string_view line) {
    static const char* k_months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    for (size_t i = 0; i + 20 <= line.size(); ++i) {
        for (int m = 0; m < 12; ++m) {
            if (line.substr(i, 3) != k_months[m] || i + 4 > line.size() || line[i + 3] != ' ') {
                continue;
            }
            int day = 0, hh = 0, mm = 0, ss = 0, year = 0;
            std::string rest(line.substr(i + 4));
            if (std::sscanf(rest.c_str(), "%d %d:%d:%d %d", &day, &hh, &mm, &ss, &year) == 5 &&
                year >= 1970 && year < 10000 && day >= 1 && day <= 31 && hh < 24 && mm < 60 && ss < 61) {
                return timeutil::days_from_civil(year, static_cast<unsigned>(m + 1),
                                                 static_cast<unsigned>(day)) * 86400 +
                       hh * 3600 + mm * 60 + std::min(ss, 59);
            }
        }
    }
    return std::nullopt;
}

// The first address of a To header's display form ("张三 <a@b.c>, x@y" → a@b.c).
std::string first_address(std::string_view to) {
    size_t lt = to.find('<');
    if (lt != std::string_view::npos) {
        size_t gt = to.find('>', lt);
        if (gt != std::string_view::npos) {
            return normalize_email(to.substr(lt + 1, gt - lt - 1));
        }
    }
    for (auto part : text::split(to, ',')) {
        if (std::string e = normalize_email(part); !e.empty()) {
            return e;
        }
    }
    return {};
}

bool looks_like_message(std::string_view head) {
    if (mail::looks_like_mbox(head)) {
        return true;
    }
    std::string lower = text::ascii_lower(head.substr(0, 16384));
    bool header_start = false;
    size_t colon = lower.find(':');
    size_t eol = lower.find('\n');
    if (colon != std::string::npos && colon > 0 && (eol == std::string::npos || colon < eol)) {
        header_start = std::all_of(lower.begin(), lower.begin() + static_cast<long>(colon), [](char c) {
            return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
        });
    }
    return header_start && (lower.starts_with("from:") || lower.find("\nfrom:") != std::string::npos ||
                            lower.find("message-id:") != std::string::npos ||
                            lower.starts_with("received:") || lower.starts_with("return-path:"));
}

struct Work {
    enum class Kind { Row, Reject, Skip } kind = Kind::Row;
    NewInquiry in;
    PreparedRecord prepared;
    std::string where;    // file, or file:line
    uint64_t line = 0;    // for rejects: the line in an mbox (0 for a file)
    std::string raw;      // for rejects
    bool raw_truncated = false;
    std::string why;
    uint64_t bytes = 0;
};

struct Converter {
    const Options& options;
    std::set<std::string> own;
    TimePoint now;

    // Parses one message into a Work (a row, or a reject with its reason).
    void convert(std::string_view raw, const std::string& where, std::optional<TimePoint> fallback_date,
                 const Classifier& classifier, Work& w) const {
        w.where = where;
        mail::Message m;
        try {
            m = mail::parse_message(raw, where);
        } catch (const Error& e) {
            w.kind = Work::Kind::Reject;
            w.why = e.why().empty() ? e.what() : e.why();
            w.raw = std::string(raw.substr(0, k_reject_record_bytes));
            w.raw_truncated = raw.size() > k_reject_record_bytes;
            return;
        }
        NewInquiry& in = w.in;
        in = NewInquiry{};
        in.source = where;
        in.message_id = m.message_id;
        in.received_at = m.date ? *m.date : fallback_date ? *fallback_date : now;
        in.channel = "email";
        in.from_seller = own.count(m.from_address) > 0;
        if (in.from_seller) {
            // The seller's own mail: a reply in the buyer's thread; the buyer is its recipient.
            in.buyer.email = first_address(m.to);
        } else {
            in.buyer.name = m.from_name;
            in.buyer.email = m.from_address;
        }
        in.contact = in.buyer.email;
        in.subject = text::one_line(m.subject);
        in.subject_normalized = m.subject_normalized;
        in.body = m.body.empty() ? m.body_full : m.body;
        if (in.body.empty()) {
            std::string names;
            for (const auto& a : m.attachments) {
                names += (names.empty() ? "" : ", ") + (a.name.empty() ? a.content_type : a.name);
            }
            in.body = names.empty() ? "(no text)" : "(no text; attachments: " + names + ")";
        }
        if (m.body_full != in.body) {
            in.body_full = m.body_full;
        }
        in.mail_to = m.to;
        if (!m.attachments.empty()) {
            nlohmann::json list = nlohmann::json::array();
            for (const auto& a : m.attachments) {
                list.push_back({{"name", a.name}, {"type", a.content_type}, {"size", a.size}});
            }
            in.attachments_json = list.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        }
        in.in_reply_to = m.in_reply_to;
        in.references = m.references;
        in.had_replacement = m.had_replacement;
        prepare_record(in, classifier, w.prepared);
    }
};

}  // namespace

Summary import_mail(Store& store, const std::string& kind, csv::Source* source, const std::string& path,
                    uint64_t total_bytes, const Options& options, const Classifier& classifier,
                    TimePoint now, const ProgressFn& progress) {
    Summary sum;
    sum.source = path;
    sum.kind = kind;
    Converter conv{options, {}, now};
    for (const auto& a : options.own_addresses) {
        if (std::string e = normalize_email(a); !e.empty()) {
            conv.own.insert(e);
        }
    }
    if (kind == "maildir" && !fs::is_directory(path)) {
        throw Error("cannot import", path, "not a folder");
    }
    // A folder: its maildirs (cur/ and new/) or, when it is none, every file below it.
    std::vector<fs::path> files;
    if (kind == "maildir") {
        fs::path root(path);
        if (mail::is_maildir(root)) {
            mail::walk_maildir(root, [&](const fs::path& f) { files.push_back(f); });
        } else {
            std::error_code ec;
            std::set<fs::path> seen;
            auto it = fs::recursive_directory_iterator(root, fs::directory_options::follow_directory_symlink |
                                                                 fs::directory_options::skip_permission_denied,
                                                       ec);
            if (ec) {
                throw Error("cannot read", path, ec.message());
            }
            for (auto end = fs::recursive_directory_iterator(); it != end; it.increment(ec)) {
                if (ec) {
                    throw Error("cannot read", path, ec.message());
                }
                const fs::path& p = it->path();
                std::string name = p.filename().string();
                if (it->is_directory(ec)) {
                    fs::path canon = fs::weakly_canonical(p, ec);
                    // A link loop, tmp/ (mail still being written) and hidden folders are left out.
                    if (it.depth() > 64 || name == "tmp" || name.starts_with(".") || !seen.insert(canon).second) {
                        it.disable_recursion_pending();
                    }
                    continue;
                }
                if (it->is_regular_file(ec) && !name.starts_with(".")) {
                    files.push_back(p);
                }
            }
            std::sort(files.begin(), files.end());
        }
        if (files.empty()) {
            throw Error("nothing to import", path, "the folder holds no mail files");
        }
    }

    RejectWriter rejects(options.rejects_file.empty() ? default_rejects_path(options.rejects_dir, path, now)
                                                      : options.rejects_file,
                         path, "UTF-8", options.dry_run);
    rejects.check_writable();
    int64_t import_id = begin_import(store, path, kind, now, options.dry_run);
    InquiryWriter writer(store, import_id, classifier, now, options.batch_size, options.dry_run);
    uint64_t records = 0;
    std::vector<std::string> skipped;  // the first few files that are not mail, for the note
    using Batch = std::vector<Work>;
    std::unique_ptr<SourceBuf> buf;
    std::unique_ptr<std::istream> stream;
    if (source != nullptr) {
        buf = std::make_unique<SourceBuf>(*source);
        stream = std::make_unique<std::istream>(buf.get());
    }
    run_pipeline<Batch>(
        [&](const std::function<bool(Batch&&)>& emit) {
            Batch batch;
            auto push = [&]() {
                if (batch.size() >= k_batch) {
                    if (!emit(std::move(batch))) {
                        return false;
                    }
                    batch = Batch();
                }
                return true;
            };
            if (source != nullptr) {
                mail::MboxReader reader(*stream);
                std::string raw;
                uint64_t line = 0;
                while (reader.next(raw, line)) {
                    Work& w = batch.emplace_back();
                    w.line = line;
                    w.bytes = buf->bytes();
                    std::string where = kind == "mbox" ? fmt::format("{}:{}", path, line) : path;
                    if (reader.truncated()) {
                        w.kind = Work::Kind::Reject;
                        w.why = fmt::format("message longer than {} MiB", mail::MboxReader::k_default_max_message_bytes >> 20);
                        w.raw = raw.substr(0, k_reject_record_bytes);
                        w.raw_truncated = true;
                    } else {
                        conv.convert(raw, where, from_line_date(reader.from_line()), classifier, w);
                    }
                    if (!push()) {
                        return;
                    }
                }
                if (stream->bad()) {
                    throw Error("cannot read", path, "read error");
                }
            } else {
                uint64_t done = 0;
                std::error_code dir_ec;
                const bool in_folder = fs::is_directory(path, dir_ec);
                for (const fs::path& f : files) {
                    Work& w = batch.emplace_back();
                    w.bytes = ++done;
                    std::string raw;
                    try {
                        raw = files::read_file(f.string(), "", mail::k_max_message_bytes + 1);
                    } catch (const Error& e) {
                        if (!in_folder) {
                            throw;
                        }
                        // One unreadable file of a folder is rejected; the others import.
                        w.kind = Work::Kind::Reject;
                        w.where = f.string();
                        w.why = fmt::format("cannot read: {}", e.why());
                        if (!push()) {
                            return;
                        }
                        continue;
                    }
                    if (!looks_like_message(raw)) {
                        w.kind = Work::Kind::Skip;
                        w.where = f.string();
                    } else if (raw.size() > mail::k_max_message_bytes) {
                        w.kind = Work::Kind::Reject;
                        w.where = f.string();
                        w.why = fmt::format("message longer than {} MiB", mail::k_max_message_bytes >> 20);
                        w.raw = raw.substr(0, k_reject_record_bytes);
                        w.raw_truncated = true;
                    } else {
                        std::error_code ec;
                        auto mtime = fs::last_write_time(f, ec);
                        std::optional<TimePoint> when;
                        if (!ec) {
                            when = std::chrono::duration_cast<std::chrono::seconds>(
                                       std::chrono::file_clock::to_sys(mtime).time_since_epoch())
                                       .count();
                        }
                        conv.convert(raw, f.string(), when, classifier, w);
                    }
                    if (!push()) {
                        return;
                    }
                }
            }
            if (!batch.empty()) {
                emit(std::move(batch));
            }
        },
        [&](Batch& batch) {
            for (Work& w : batch) {
                ++records;
                if (progress && records % 256 == 0) {
                    progress({w.bytes, source != nullptr ? total_bytes : files.size(), records});
                }
                switch (w.kind) {
                    case Work::Kind::Skip:
                        ++sum.n_skipped;
                        if (skipped.size() < k_skipped_named) {
                            skipped.push_back(w.where);
                        }
                        break;
                    case Work::Kind::Reject:
                        // A message of a folder is named by its file; of an mbox, by its line.
                        rejects.add(w.line, w.line == 0 ? w.where + ": " + w.why : w.why, w.raw,
                                    w.raw_truncated);
                        writer.count_rejected();
                        break;
                    case Work::Kind::Row: {
                        WriteOutcome o = writer.add(w.in, &w.prepared);
                        if (o != WriteOutcome::Duplicate && w.in.had_replacement) {
                            sum.flagged.push_back(w.where);
                        }
                        break;
                    }
                }
            }
        });
    rejects.close();
    sum.rejects_path = rejects.written_path();
    sum.dry_rejects = rejects.listed();
    writer.finish(sum.rejects_path);
    if (progress) {
        progress({source != nullptr ? buf->bytes() : files.size(), source != nullptr ? total_bytes : files.size(),
                  records});
    }
    if (sum.n_skipped > 0) {
        std::string names;
        for (const auto& name : skipped) {
            names += (names.empty() ? "" : ", ") + name;
        }
        if (sum.n_skipped > skipped.size()) {
            names += ", …";
        }
        sum.notes.push_back(fmt::format("{} file(s) that are not mail were left out: {}", sum.n_skipped, names));
    }
    sum.records = records;
    sum.n_new = writer.n_new();
    sum.n_duplicate = writer.n_duplicate();
    sum.n_rejected = writer.n_rejected();
    sum.n_flagged = writer.n_flagged();
    sum.n_replies = writer.n_replies();
    return sum;
}

}  // namespace kefu::import
