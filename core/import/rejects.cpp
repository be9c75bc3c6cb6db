#include "core/import/rejects.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "core/encoding.h"
#include "core/error.h"
#include "core/text.h"
#include "core/time.h"

namespace kefu::import {
namespace {

std::string csv_cell(std::string_view s) {
    std::string out = "\"";
    for (char c : s) {
        out += c;
        if (c == '"') {
            out += '"';
        }
    }
    out += '"';
    return out;
}

// The record as text: decoded from the input's encoding where possible, \xNN elsewhere.
std::string readable(std::string_view raw, encoding::Decoder& dec) {
    std::string out;
    while (!raw.empty()) {
        size_t bad = 0;
        size_t end = 0;
        if (dec.decode(raw, out, &bad, &end)) {
            break;
        }
        for (size_t i = bad; i < end; ++i) {
            out += fmt::format("\\x{:02X}", static_cast<unsigned char>(raw[i]));
        }
        raw.remove_prefix(end);
    }
    return out;
}

}  // namespace

RejectWriter::RejectWriter(std::string path, std::string input_name, std::string encoding, bool dry_run)
    : m_path(std::move(path)), m_input(std::move(input_name)), m_encoding(std::move(encoding)), m_dry_run(dry_run) {}

RejectWriter::~RejectWriter() { close(); }

void RejectWriter::check_writable() const {
    if (m_dry_run) {
        return;
    }
    std::error_code ec;
    std::filesystem::path file(m_path);
    if (std::filesystem::is_directory(file, ec)) {
        throw Error("cannot write the reject file", m_path, "it is a folder",
                    "give a file with --rejects FILE");
    }
    // The folder is created on the first reject: its nearest existing ancestor must take it.
    std::filesystem::path dir = file.parent_path();
    if (dir.empty()) {
        dir = ".";
    }
    while (!std::filesystem::exists(dir, ec) && dir.has_parent_path() && dir.parent_path() != dir) {
        dir = dir.parent_path();
    }
    if (!std::filesystem::is_directory(dir, ec)) {
        throw Error("cannot write the reject file", m_path, dir.string() + " is not a folder",
                    "give another place with --rejects FILE; nothing was imported");
    }
    if (::access(dir.c_str(), W_OK | X_OK) != 0) {
        throw Error("cannot write the reject file", m_path,
                    dir.string() + ": " + std::strerror(errno),
                    "give another place with --rejects FILE; nothing was imported");
    }
}

void RejectWriter::close() {
    if (m_file != nullptr) {
        std::fclose(m_file);
        m_file = nullptr;
    }
}

void RejectWriter::add(uint64_t line, std::string_view reason, std::string_view record, bool truncated) {
    if (m_dry_run) {
        if (m_listed.size() < k_dry_rejects_listed) {
            m_listed.push_back(line == 0 ? std::string(reason) : fmt::format("line {}: {}", line, reason));
        }
        ++m_count;
        return;
    }
    if (m_file == nullptr) {
        std::filesystem::path dir = std::filesystem::path(m_path).parent_path();
        std::error_code ec;
        if (!dir.empty() && !std::filesystem::exists(dir, ec)) {
            std::filesystem::create_directories(dir, ec);
            ::chmod(dir.c_str(), 0700);
        }
        // Appended to, never overwritten: the rejects of an earlier run are still to be fixed.
        int fd = ::open(m_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
        struct stat st {};
        if (fd < 0 || ::fstat(fd, &st) != 0 || (m_file = ::fdopen(fd, "a")) == nullptr) {
            int err = errno;
            if (fd >= 0) {
                ::close(fd);
            }
            throw Error("cannot write the reject file", m_path, std::strerror(err),
                        "give another place with --rejects FILE; nothing was imported");
        }
        m_created = true;
        if (st.st_size == 0) {
            std::fputs("input,line,reason,record\r\n", m_file);
        }
    }
    if (!m_decoder) {
        m_decoder = std::make_unique<encoding::Decoder>(m_encoding);
    }
    std::string rec = readable(record, *m_decoder);
    if (truncated) {
        rec += fmt::format(" … [cut: the whole record is at line {} of the input]", line);
    }
    std::string row = fmt::format("{},{},{},{}\r\n", csv_cell(m_input), line, csv_cell(reason), csv_cell(rec));
    if (std::fwrite(row.data(), 1, row.size(), m_file) != row.size() || std::fflush(m_file) != 0) {
        throw Error("cannot write the reject file", m_path, std::strerror(errno));
    }
    ++m_count;
}

std::string default_rejects_path(const std::string& folder, const std::string& input, int64_t now) {
    std::string name = input == "-" ? "stdin" : std::filesystem::path(input).filename().string();
    if (name.empty()) {
        name = "input";
    }
    std::string stamp = timeutil::format_local(now, true);
    std::string compact;
    for (char c : stamp) {
        if (c >= '0' && c <= '9') {
            compact += c;
        } else if (c == ' ') {
            compact += '-';
        }
    }
    return (std::filesystem::path(folder) / fmt::format("{}-{}.csv", name, compact)).string();
}

}  // namespace kefu::import
