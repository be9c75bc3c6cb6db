#include "core/import/import.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "core/error.h"
#include "core/mail/mbox.h"
#include "core/text.h"

namespace kefu::import {
namespace {

// Closes a file descriptor it owns.
struct Fd {
    int fd = -1;
    bool owned = false;
    ~Fd() {
        if (owned && fd >= 0) {
            ::close(fd);
        }
    }
};

bool looks_like_mail_headers(std::string_view s) {
    // "Name: value" lines from the first byte, with a header that every mail has.
    size_t colon = s.find(':');
    size_t eol = s.find('\n');
    if (colon == std::string_view::npos || colon == 0 || (eol != std::string_view::npos && colon > eol)) {
        return false;
    }
    for (size_t i = 0; i < colon; ++i) {
        char c = s[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
            return false;
        }
    }
    std::string head = text::ascii_lower(s.substr(0, std::min<size_t>(s.size(), 16384)));
    return head.find("\nfrom:") != std::string::npos || head.starts_with("from:") ||
           head.find("\nmessage-id:") != std::string::npos || head.find("\nreceived:") != std::string::npos ||
           head.starts_with("received:") || head.starts_with("return-path:");
}

}  // namespace

std::string detect_kind(const std::string& path, std::string_view first, bool is_dir) {
    if (is_dir) {
        return "maildir";
    }
    std::string ext = text::ascii_lower(std::filesystem::path(path).extension().string());
    if (ext == ".csv" || ext == ".tsv") {
        return "csv";
    }
    if (ext == ".mbox" || ext == ".mbx") {
        return "mbox";
    }
    if (ext == ".eml") {
        return "eml";
    }
    if (mail::looks_like_mbox(first)) {
        return "mbox";
    }
    if (looks_like_mail_headers(first)) {
        return "eml";
    }
    return "csv";
}

Summary import_path(Store& store, const std::string& path, const Options& options,
                    const Classifier& classifier, TimePoint now, const ProgressFn& progress) {
    Fd fd;
    uint64_t total = 0;
    bool is_dir = false;
    if (path == "-") {
        fd.fd = STDIN_FILENO;
    } else {
        struct stat st {};
        if (::stat(path.c_str(), &st) != 0) {
            throw Error("cannot read", path, std::strerror(errno),
                        errno == ENOENT ? "check the path; kefu import takes CSV, mbox, maildir and .eml" : "");
        }
        is_dir = S_ISDIR(st.st_mode);
        if (!is_dir) {
            fd.fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
            if (fd.fd < 0) {
                throw Error("cannot read", path, std::strerror(errno));
            }
            fd.owned = true;
            total = S_ISREG(st.st_mode) ? static_cast<uint64_t>(st.st_size) : 0;
        }
    }
    std::string kind = options.type;
    csv::FdSource file(fd.fd, path);
    std::string first;
    if (!is_dir) {
        // Peek at the start to tell CSV from mail; the bytes are put back in front.
        first.resize(65536);
        size_t got = 0;
        while (got < first.size()) {
            size_t n = file.read(first.data() + got, first.size() - got);
            if (n == 0) {
                break;
            }
            got += n;
        }
        first.resize(got);
    }
    if (!is_dir && first.empty()) {
        throw Error("nothing to import", path, path == "-" ? "standard input is empty" : "the file is empty");
    }
    csv::PrefixedSource source(first, file);
    if (kind.empty()) {
        kind = path == "-" && !is_dir ? detect_kind("", first, false) : detect_kind(path, first, is_dir);
    }
    if (kind == "csv") {
        if (is_dir) {
            throw Error("cannot import", path, "it is a folder, not a CSV file",
                        "a maildir has cur/ and new/ folders; for CSV give the file");
        }
        return import_csv(store, source, path, total, options, classifier, now, progress);
    }
    if (kind == "maildir" && !is_dir) {
        throw Error("cannot import", path, "--type maildir needs a folder");
    }
    if (kind != "maildir" && is_dir) {
        throw Error("cannot import", path, fmt::format("it is a folder; --type {} needs a file", kind));
    }
    if (kind == "mbox" && !mail::looks_like_mbox(first)) {
        // Read as an mbox, anything else would be one message holding the whole file.
        throw Error("not an mbox", path, "it does not start with a \"From \" line",
                    kind == options.type ? "leave --type out to let kefu tell CSV from mail, or use --type eml "
                                           "for one mail"
                                         : "an mbox starts with \"From sender date\"; use --type to say what it is");
    }
    return import_mail(store, kind, is_dir ? nullptr : &source, path, total, options, classifier, now, progress);
}

}  // namespace kefu::import
