// Parse throughput over generated messages of about 3.5 KB (mixed Chinese and English, base64
// and quoted-printable, plain, HTML-alternative and GBK bodies). Prints messages per second of
// CPU time. The target, five times what `notmuch new` indexes on the same machine (about
// 2,000/s), is measured by make bench beside notmuch itself; here, where other tests run
// beside it, an optimised build without sanitizers only has to reach half of it.
#include <doctest/doctest.h>
#include <time.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "core/mail/message.h"

namespace {

std::string base64(std::string_view in) {
    static constexpr char k_alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    size_t line = 0;
    for (size_t i = 0; i < in.size(); i += 3) {
        unsigned v = static_cast<unsigned char>(in[i]) << 16;
        if (i + 1 < in.size()) {
            v |= static_cast<unsigned char>(in[i + 1]) << 8;
        }
        if (i + 2 < in.size()) {
            v |= static_cast<unsigned char>(in[i + 2]);
        }
        out += k_alphabet[(v >> 18) & 63];
        out += k_alphabet[(v >> 12) & 63];
        out += i + 1 < in.size() ? k_alphabet[(v >> 6) & 63] : '=';
        out += i + 2 < in.size() ? k_alphabet[v & 63] : '=';
        if (++line == 19) {
            out += '\n';
            line = 0;
        }
    }
    return out + "\n";
}

std::string quoted_printable(std::string_view in) {
    static constexpr char k_hex[] = "0123456789ABCDEF";
    std::string out;
    size_t column = 0;
    for (char c : in) {
        auto b = static_cast<unsigned char>(c);
        std::string piece;
        if (c == '\n') {
            out += '\n';
            column = 0;
            continue;
        }
        if (b >= 0x80 || c == '=') {
            piece = {'=', k_hex[b >> 4], k_hex[b & 15]};
        } else {
            piece = std::string(1, c);
        }
        if (column + piece.size() > 73) {
            out += "=\n";
            column = 0;
        }
        out += piece;
        column += piece.size();
    }
    return out;
}

std::string make_text(int i) {
    std::string text = "您好，我的订单 " + std::to_string(100000 + i) +
                       " 还没有发货，请问什么时候可以发出？Hello, could you tell me when order #" +
                       std::to_string(i) + " ships? 谢谢！\n";
    std::string body;
    while (body.size() < 1800) {
        body += text;
    }
    return body +
           "\nOn Mon, Jan 1, 2024 at 10:00 AM Shop <kf@shop.example> wrote:\n"
           "> 亲，您的包裹已经发出。\n> Your parcel has left the warehouse.\n";
}

std::string headers(int i, std::string_view content_type) {
    return "Message-ID: <bench." + std::to_string(i) +
           "@example.com>\n"
           "Date: Thu, 4 Jan 2024 09:16:06 +0800\n"
           "From: =?UTF-8?B?546L5YWI55Sf?= <buyer" +
           std::to_string(i) +
           "@example.com>\n"
           "To: shop@example.com\n"
           "Subject: =?UTF-8?B?5Zue5aSNOiDorqLljZXpl67popg=?= " +
           std::to_string(i) +
           "\n"
           "References: <root." +
           std::to_string(i) +
           "@example.com>\n"
           "MIME-Version: 1.0\n" +
           std::string(content_type) + "\n";
}

// "请问什么时候发货" in GBK.
const std::string k_gbk = "\xc7\xeb\xce\xca\xca\xb2\xc3\xb4\xca\xb1\xba\xf2\xb7\xa2\xbb\xf5";

std::string make_message(int i) {
    std::string text = make_text(i);
    switch (i % 3) {
        case 0:
            return headers(i,
                           "Content-Type: text/plain; charset=utf-8\n"
                           "Content-Transfer-Encoding: base64\n") +
                   "\n" + base64(text);
        case 1:
            return headers(i, "Content-Type: multipart/alternative; boundary=\"b\"\n") +
                   "\n--b\nContent-Type: text/plain; charset=utf-8\n"
                   "Content-Transfer-Encoding: quoted-printable\n\n" +
                   quoted_printable(text) +
                   "\n--b\nContent-Type: text/html; charset=utf-8\n"
                   "Content-Transfer-Encoding: quoted-printable\n\n" +
                   quoted_printable("<p>" + text.substr(0, text.find('\n')) + "</p>") + "\n--b--\n";
        default: {
            std::string gbk;
            while (gbk.size() < 1500) {
                gbk += k_gbk + " order " + std::to_string(i) + "\n";
            }
            return headers(i,
                           "Content-Type: text/plain; charset=gb2312\n"
                           "Content-Transfer-Encoding: base64\n") +
                   "\n" + base64(gbk);
        }
    }
}

}  // namespace

TEST_CASE("mail bench: parse throughput of ~3 KB messages") {
    constexpr int k_distinct = 300;
    constexpr int k_rounds = 10;
    std::vector<std::string> messages;
    size_t bytes = 0;
    for (int i = 0; i < k_distinct; ++i) {
        messages.push_back(make_message(i));
        bytes += messages.back().size();
    }
    // Warm up (GMime initialisation, iconv converters).
    kefu::mail::parse_message(messages[0], "bench");

    size_t parsed = 0;
    size_t checked = 0;
    auto start = std::chrono::steady_clock::now();
    timespec cpu_start{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu_start);
    for (int round = 0; round < k_rounds; ++round) {
        for (int i = 0; i < k_distinct; ++i) {
            kefu::mail::Message m = kefu::mail::parse_message(messages[i], "bench");
            ++parsed;
            if (round == 0) {
                INFO("message " << i << ": " << (m.notes.empty() ? "" : m.notes[0]));
                CHECK(m.subject_normalized == "订单问题 " + std::to_string(i));
                CHECK(m.from_name == "王先生");
                CHECK_FALSE(m.had_replacement);
                if (i % 3 == 2) {
                    CHECK(m.body.starts_with("请问什么时候发货 order"));
                } else {
                    CHECK(m.body.starts_with("您好，我的订单"));
                    CHECK(m.body.size() < m.body_full.size());
                }
                ++checked;
            }
        }
    }
    timespec cpu_end{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu_end);
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    double cpu_seconds = static_cast<double>(cpu_end.tv_sec - cpu_start.tv_sec) +
                         1e-9 * static_cast<double>(cpu_end.tv_nsec - cpu_start.tv_nsec);
    // CPU time is what parsing costs; wall time also counts other processes on the machine.
    double rate = static_cast<double>(parsed) / cpu_seconds;
    std::printf(
        "mail bench: %zu messages (average %zu bytes): %.3f s CPU, %.3f s wall; "
        "%.0f messages/s (CPU), %.1f us each\n",
        parsed, bytes / messages.size(), cpu_seconds, seconds, rate,
        1e6 * cpu_seconds / static_cast<double>(parsed));
    CHECK(checked == k_distinct);
#if defined(NDEBUG) && !defined(__SANITIZE_ADDRESS__)
    CHECK(rate >= 5000.0);
#endif
}
