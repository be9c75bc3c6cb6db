// The library cache: the parsed templates of the built-in and user folders together with their
// index, so that a command that needs the library does not parse and index hundreds of
// templates on every run. The file is private to one machine and one binary; any file that
// does not read back exactly as described here is ignored and rewritten.
//
// Format: a cache file of core/cache_file.h with the magic "KEFURL01"; all integers
// little-endian as the machine writes them, doubles as their 8 bytes. The payload:
//     u64 n; n templates, each: id, title (str), category (i32), tags, keywords (str list),
//       bodies (u64 count, then language and text str pairs), placeholders (str list),
//       followup (u8 present, i64), status_after (u8 present, i32), vip_only, builtin,
//       overrides (u8 each), origin (str)
//     the index (core/replies/index.h), each array as a u64 count and its values' bytes:
//       docs (DocEntry), keywords (KeywordEntry), tokens (u64), terms (TermEntry), postings
//       (Posting); then text (str) and average_length (f64)
// A str is a u64 length followed by its bytes; a str list a u64 count followed by strs.
//
// The key holds the format version, the XXH3 of every embedded template file, and for each
// user file (in the order load() reads them) its path, size and modification time in
// nanoseconds: editing, adding, removing or renaming a file, or another build, makes a
// different key. A library read from a file modified in the last two seconds is not written
// to the cache: the file may change again within the same tick of the file system's clock.

#include <sys/stat.h>
#include <time.h>

#include <filesystem>

#include "core/cache_file.h"
#include "core/embedded.h"
#include "core/hash.h"
#include "core/replies/index.h"
#include "core/replies/library.h"

namespace kefu::replies {
namespace {

namespace fs = std::filesystem;
using cache::Reader;
using cache::Writer;

constexpr std::string_view k_magic = "KEFURL02";

// The index arrays are written as their bytes: no padding may leave bytes undefined.
static_assert(sizeof(DocEntry) == 16 && sizeof(KeywordEntry) == 16 && sizeof(TermEntry) == 24 &&
              sizeof(Posting) == 16);

void write_template(Writer& w, const Template& t) {
    w.str(t.id);
    w.str(t.title);
    w.i32(static_cast<int32_t>(t.category));
    w.strs(t.tags);
    w.strs(t.keywords);
    w.u64(t.bodies.size());
    for (const auto& [lang, body] : t.bodies) {
        w.str(lang);
        w.str(body);
    }
    w.strs(t.placeholders);
    w.u8(t.followup ? 1 : 0);
    w.i64(t.followup.value_or(0));
    w.u8(t.status_after ? 1 : 0);
    w.i32(static_cast<int32_t>(t.status_after.value_or(Status::New)));
    w.u8(t.vip_only ? 1 : 0);
    w.u8(t.builtin ? 1 : 0);
    w.u8(t.overrides ? 1 : 0);
    w.str(t.origin);
}

Template read_template(Reader& r) {
    Template t;
    t.id = r.str();
    t.title = r.str();
    int32_t category = r.i32();
    if (category < 0 || category > static_cast<int32_t>(Category::Complaint)) {
        r.fail();
    }
    t.category = static_cast<Category>(category);
    t.tags = r.strs();
    t.keywords = r.strs();
    uint64_t bodies = r.count(2 * sizeof(uint64_t));
    for (uint64_t i = 0; i < bodies; ++i) {
        std::string lang = r.str();
        t.bodies[lang] = r.str();
    }
    t.placeholders = r.strs();
    bool has_followup = r.u8() != 0;
    int64_t followup = r.i64();
    if (has_followup) {
        t.followup = followup;
    }
    bool has_status = r.u8() != 0;
    int32_t status = r.i32();
    if (has_status) {
        if (status != static_cast<int32_t>(Status::Waiting) &&
            status != static_cast<int32_t>(Status::Resolved)) {
            r.fail();
        }
        t.status_after = static_cast<Status>(status);
    }
    t.vip_only = r.u8() != 0;
    t.builtin = r.u8() != 0;
    t.overrides = r.u8() != 0;
    t.origin = r.str();
    return t;
}

std::string serialize(const std::vector<Template>& templates, const LibraryIndex& index) {
    Writer w;
    w.u64(templates.size());
    for (const Template& t : templates) {
        write_template(w, t);
    }
    w.pods(index.docs);
    w.pods(index.keywords);
    w.pods(index.tokens);
    w.pods(index.terms);
    w.pods(index.postings);
    w.str(index.text);
    w.f64(index.average_length);
    return std::move(w.out());
}

struct Parts {
    std::vector<Template> templates;
    std::shared_ptr<LibraryIndex> index;
};

std::optional<Parts> deserialize(std::string_view payload) {
    Reader r(payload);
    Parts parts;
    uint64_t n = r.count(1);
    parts.templates.reserve(n);
    for (uint64_t i = 0; i < n && r.ok(); ++i) {
        parts.templates.push_back(read_template(r));
    }
    parts.index = std::make_shared<LibraryIndex>();
    LibraryIndex& index = *parts.index;
    index.docs = r.pods<DocEntry>();
    index.keywords = r.pods<KeywordEntry>();
    index.tokens = r.pods<uint64_t>();
    index.terms = r.pods<TermEntry>();
    index.postings = r.pods<Posting>();
    index.text = r.str();
    index.average_length = r.f64();
    if (!r.ok() || !r.at_end() || index.docs.size() != n || !index.consistent()) {
        return std::nullopt;
    }
    for (size_t d = 0; d < n; ++d) {
        if (index.docs[d].keywords_count != parts.templates[d].keywords.size()) {
            return std::nullopt;
        }
    }
    return parts;
}

// A file modified less than this long ago may still be written to within the same tick of
// the file system's clock after it is read, keeping its size and modification time: a
// library read from such a file is not cached.
constexpr int64_t k_settle_ns = 2'000'000'000;

// The fingerprint of everything the library is made from (see the format comment above).
// `settled` is set to false when a user file was modified too recently to be trusted.
std::string cache_key(const std::vector<std::string>& user_files, bool& settled) {
    settled = true;
    struct timespec now {};
    ::clock_gettime(CLOCK_REALTIME, &now);
    int64_t now_ns = static_cast<int64_t>(now.tv_sec) * 1'000'000'000 + now.tv_nsec;
    Writer w;
    w.str(k_magic);
    Hasher builtin;
    for (const embedded::File& f : embedded::under("templates/")) {
        builtin.add(f.path).add(f.data);
    }
    w.u64(builtin.digest());
    w.u64(user_files.size());
    for (const std::string& path : user_files) {
        struct stat st {};
        if (::stat(path.c_str(), &st) != 0) {
            return {};  // cannot tell whether it changed: no cache
        }
        w.str(path);
        w.u64(static_cast<uint64_t>(st.st_size));
        w.i64(static_cast<int64_t>(st.st_mtim.tv_sec));
        w.i64(static_cast<int64_t>(st.st_mtim.tv_nsec));
        int64_t mtime_ns = static_cast<int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 +
                           st.st_mtim.tv_nsec;
        settled = settled && now_ns - mtime_ns >= k_settle_ns;
    }
    return std::move(w.out());
}

std::optional<Parts> read_cache(const std::string& cache_file, std::string_view key) {
    auto payload = cache::read(cache_file, k_magic, key);
    if (!payload) {
        return std::nullopt;
    }
    return deserialize(payload->view());
}

}  // namespace

Library Library::load_cached(const std::string& user_dir, const std::string& cache_file) {
    std::error_code ec;
    bool has_user = !user_dir.empty() && fs::exists(user_dir, ec);
    std::vector<std::string> files;
    if (has_user) {
        files = user_files(user_dir);
    }
    bool settled = false;
    std::string key = cache_file.empty() ? std::string() : cache_key(files, settled);
    if (!key.empty()) {
        if (auto parts = read_cache(cache_file, key)) {
            return Library(std::move(parts->templates), std::move(parts->index));
        }
    }
    Library library = load(user_dir);
    if (!key.empty() && settled) {
        cache::write(cache_file, k_magic, key, serialize(library.all(), library.index()));
    }
    return library;
}

}  // namespace kefu::replies
