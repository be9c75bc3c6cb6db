#include "core/mail/maildir.h"

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "core/error.h"

namespace kefu::mail {
namespace fs = std::filesystem;
namespace {

constexpr int k_max_depth = 64;

struct Entry {
    std::string name;
    fs::path path;
    bool directory = false;
    bool regular = false;
};

// The entries of `dir` sorted by name; directory and file status follow symbolic links.
std::vector<Entry> sorted_entries(const fs::path& dir) {
    std::error_code ec;
    fs::directory_iterator it(dir, ec);
    if (ec) {
        throw Error("cannot read mail folder", dir.string(), ec.message());
    }
    std::vector<Entry> entries;
    for (const fs::directory_entry& e : it) {
        Entry entry;
        entry.path = e.path();
        entry.name = e.path().filename().string();
        std::error_code status_ec;
        fs::file_status st = fs::status(e.path(), status_ec);  // follows links
        if (!status_ec) {
            entry.directory = fs::is_directory(st);
            entry.regular = fs::is_regular_file(st);
        }
        entries.push_back(std::move(entry));
    }
    std::sort(entries.begin(), entries.end(),
              [](const Entry& a, const Entry& b) { return a.name < b.name; });
    return entries;
}

class Walker {
public:
    explicit Walker(const std::function<void(const fs::path&)>& visit) : m_visit(visit) {}

    void walk(const fs::path& dir, int depth) {
        if (depth > k_max_depth) {
            return;
        }
        std::error_code ec;
        fs::path canonical = fs::canonical(dir, ec);
        if (ec) {
            throw Error("cannot read mail folder", dir.string(), ec.message());
        }
        if (!m_seen.insert(canonical.string()).second) {
            return;  // reached again through a link
        }
        bool maildir = is_maildir(dir);
        if (maildir) {
            for (const char* sub : {"cur", "new"}) {
                for (const Entry& e : sorted_entries(dir / sub)) {
                    if (e.regular && !e.name.starts_with(".")) {
                        m_visit(e.path);
                    }
                }
            }
        }
        for (const Entry& e : sorted_entries(dir)) {
            if (!e.directory) {
                continue;
            }
            if (maildir && (e.name == "cur" || e.name == "new" || e.name == "tmp")) {
                continue;
            }
            walk(e.path, depth + 1);
        }
    }

private:
    const std::function<void(const fs::path&)>& m_visit;
    std::set<std::string> m_seen;
};

}  // namespace

bool is_maildir(const fs::path& dir) {
    std::error_code ec;
    return fs::is_directory(dir / "cur", ec) && fs::is_directory(dir / "new", ec);
}

void walk_maildir(const fs::path& root, const std::function<void(const fs::path&)>& visit) {
    std::error_code ec;
    if (!fs::is_directory(root, ec)) {
        throw Error("cannot read mail folder", root.string(), ec ? ec.message() : "not a folder");
    }
    Walker walker(visit);
    walker.walk(root, 0);
}

}  // namespace kefu::mail
