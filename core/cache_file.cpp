#include "core/cache_file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <random>

#include "core/hash.h"

namespace kefu::cache {

std::string_view Reader::view(uint64_t n) {
    if (!m_ok || n > m_in.size() - m_at) {
        m_ok = false;
        return {};
    }
    std::string_view s = m_in.substr(m_at, n);
    m_at += n;
    return s;
}

uint64_t Reader::count(size_t min_size) {
    uint64_t n = u64();
    if (!m_ok || n > (m_in.size() - m_at) / min_size) {
        m_ok = false;
        return 0;
    }
    return n;
}

std::vector<std::string> Reader::strs() {
    std::vector<std::string> out(count(sizeof(uint64_t)));
    for (std::string& s : out) {
        s = str();
    }
    return out;
}

Payload::Payload(Payload&& other) noexcept
    : m_base(other.m_base), m_size(other.m_size), m_payload(other.m_payload) {
    other.m_base = nullptr;
    other.m_size = 0;
}

Payload::~Payload() {
    if (m_base != nullptr) {
        ::munmap(m_base, m_size);
    }
}

std::optional<Payload> read(const std::string& path, std::string_view magic,
                            std::string_view key) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return std::nullopt;
    }
    struct stat st {};
    void* base = MAP_FAILED;
    size_t size = 0;
    if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
        size = static_cast<size_t>(st.st_size);
        base = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
    }
    ::close(fd);
    if (base == MAP_FAILED) {
        return std::nullopt;
    }
    Reader r(std::string_view(static_cast<const char*>(base), size));
    bool ok = r.view(magic.size()) == magic;
    std::string_view stored_key = r.view(r.u64());
    std::string_view payload = r.view(r.u64());
    uint64_t check = r.u64();
    ok = ok && r.ok() && r.at_end() && stored_key == key && hash64(payload) == check;
    if (!ok) {
        ::munmap(base, size);
        return std::nullopt;
    }
    return std::optional<Payload>(std::in_place, base, size, payload);
}

void write(const std::string& path, std::string_view magic, std::string_view key,
           std::string_view payload) {
    Writer w;
    w.out().append(magic);
    w.str(key);
    w.str(payload);
    w.u64(hash64(payload));
    const std::string& data = w.out();

    std::error_code ec;
    std::filesystem::path target(path);
    if (target.has_parent_path()) {
        std::filesystem::create_directories(target.parent_path(), ec);
    }
    std::random_device random;
    std::string temp = path + ".tmp" + std::to_string(random());
    int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        return;
    }
    size_t done = 0;
    bool ok = true;
    while (done < data.size()) {
        ssize_t n = ::write(fd, data.data() + done, data.size() - done);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            ok = false;
            break;
        }
        done += static_cast<size_t>(n);
    }
    ok = ::close(fd) == 0 && ok;
    if (!ok || ::rename(temp.c_str(), path.c_str()) != 0) {
        ::unlink(temp.c_str());
    }
}

bool add_file_stamp(Writer& w, const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
        return false;
    }
    w.str(path);
    w.u64(static_cast<uint64_t>(st.st_size));
    w.i64(static_cast<int64_t>(st.st_mtim.tv_sec));
    w.i64(static_cast<int64_t>(st.st_mtim.tv_nsec));
    w.u64(static_cast<uint64_t>(st.st_ino));
    return true;
}

}  // namespace kefu::cache
