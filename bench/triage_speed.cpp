// triage_speed: classification throughput of the built-in rules on one core, text in memory.
//
//   triage_speed --csv FILE [--rounds N] [--limit N]
//
// Reads the subject, message and goods_kind columns of a CSV written by kefu_gen (found by
// their header names) into memory, then classifies every text with an Engine built the way
// `kefu import` builds it (default config, built-in rules, no user file), N rounds (default
// 3). Only the classification is timed, with this thread's CPU clock, so other processes on
// the machine count as little as possible; the best round is reported. Prints "key value"
// lines on stdout: texts, bytes (subject + body, average), rounds, seconds (of the best round),
// rate (inquiries per second), other (how many texts fell to category "other", a check that
// the rules ran) and checksum (sum of the static scores, to keep the work from being
// optimized away).

#include <fcntl.h>
#include <time.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <string_view>
#include <vector>

#include "core/config.h"
#include "core/csv/reader.h"
#include "core/error.h"
#include "core/model.h"
#include "core/triage/engine.h"

namespace {

struct Text {
    std::string subject;
    std::string body;
    kefu::GoodsKind goods_kind = kefu::GoodsKind::Unknown;
};

double thread_cpu_seconds() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

int usage(const char* why) {
    std::fprintf(stderr, "triage_speed: %s\nusage: triage_speed --csv FILE [--rounds N] "
                         "[--limit N]\n", why);
    return 2;
}

// The index of the header field named `name`, or -1.
int column(const std::vector<std::string>& header, std::string_view name) {
    for (size_t i = 0; i < header.size(); ++i) {
        if (header[i] == name) {
            return static_cast<int>(i);
        }
    }
    return -1;
}

// Every well-formed record of `path` (at most `limit` when it is not 0).
std::vector<Text> load(const std::string& path, size_t limit) {
    int fd = ::open(path.c_str(), O_RDONLY);
    if (fd < 0) {
        throw kefu::Error("cannot open the CSV", path, "no such file or no permission");
    }
    std::vector<Text> texts;
    try {
        kefu::csv::FdSource source(fd, path);
        kefu::csv::Reader reader(source, kefu::csv::Options{});
        kefu::csv::Record record;
        if (!reader.next(record)) {
            throw kefu::Error("empty CSV", path, "no header line");
        }
        int subject = column(record.fields, "subject");
        int message = column(record.fields, "message");
        int goods = column(record.fields, "goods_kind");
        if (message < 0) {
            throw kefu::Error("no message column", path, "the header has no field 'message'");
        }
        while (reader.next(record) && (limit == 0 || texts.size() < limit)) {
            if (!record.error.empty() || record.fields.size() <= static_cast<size_t>(message)) {
                continue;
            }
            Text t;
            auto field = [&record](int i) {
                return i >= 0 && static_cast<size_t>(i) < record.fields.size()
                           ? record.fields[static_cast<size_t>(i)]
                           : std::string();
            };
            t.subject = field(subject);
            t.body = field(message);
            t.goods_kind = kefu::parse_goods_kind(field(goods)).value_or(kefu::GoodsKind::Unknown);
            texts.push_back(std::move(t));
        }
    } catch (...) {
        ::close(fd);
        throw;
    }
    ::close(fd);
    return texts;
}

}  // namespace

int main(int argc, char** argv) {
    std::string csv_path;
    int rounds = 3;
    size_t limit = 0;
    for (int i = 1; i < argc; ++i) {
        std::string_view a = argv[i];
        if (i + 1 >= argc) {
            return usage("every option needs a value");
        }
        if (a == "--csv") {
            csv_path = argv[++i];
        } else if (a == "--rounds") {
            rounds = std::atoi(argv[++i]);
        } else if (a == "--limit") {
            limit = static_cast<size_t>(std::strtoull(argv[++i], nullptr, 10));
        } else {
            return usage("unknown option");
        }
    }
    if (csv_path.empty() || rounds < 1) {
        return usage("give --csv FILE and a --rounds of at least 1");
    }
    try {
        std::vector<Text> texts = load(csv_path, limit);
        if (texts.empty()) {
            return usage("no texts in the CSV");
        }
        size_t bytes = 0;
        for (const auto& t : texts) {
            bytes += t.subject.size() + t.body.size();
        }
        // As `kefu import` does without a user rules file: built-in rules, default config.
        kefu::triage::Engine engine = kefu::triage::Engine::load(kefu::Config{});
        double best = 0;
        double checksum = 0;
        size_t other = 0;
        for (int round = 0; round < rounds; ++round) {
            size_t round_other = 0;
            double start = thread_cpu_seconds();
            for (const auto& t : texts) {
                kefu::triage::Result r = engine.classify({t.subject, t.body, t.goods_kind});
                checksum += r.static_score;
                round_other += r.category == kefu::Category::Other ? 1 : 0;
            }
            double seconds = thread_cpu_seconds() - start;
            if (best == 0 || seconds < best) {
                best = seconds;
            }
            other = round_other;
        }
        std::printf("texts %zu\nbytes %zu\nrounds %d\nseconds %.6f\nrate %.0f\nother %zu\n"
                    "checksum %.3f\n",
                    texts.size(), bytes / texts.size(), rounds, best,
                    static_cast<double>(texts.size()) / best, other, checksum);
        return 0;
    } catch (const kefu::Error& e) {
        std::fprintf(stderr, "triage_speed: %s\n", e.what());
        return 1;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "triage_speed: %s\n", e.what());
        return 1;
    }
}
