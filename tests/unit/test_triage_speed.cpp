// Throughput of classification, printed: the target is 200,000 inquiries per second on one core
// with the built-in rules, for typical messages of 50–300 bytes held in memory, measured by make
// bench. Here only an optimized build without sanitizers is checked, against a far lower floor.
#include <doctest/doctest.h>

#include <time.h>

#include <iostream>
#include <random>
#include <string>
#include <vector>

#include "core/config.h"
#include "core/triage/engine.h"

namespace {

// CPU time of this thread, so that other processes on the machine do not count.
double cpu_seconds() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// Sanitizers: GCC defines __SANITIZE_*; Clang answers __has_feature.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define KEFU_TEST_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || \
    __has_feature(memory_sanitizer)
#define KEFU_TEST_SANITIZED 1
#endif
#endif

#if defined(NDEBUG) && !defined(KEFU_TEST_SANITIZED)
constexpr bool k_optimized = true;
#else
constexpr bool k_optimized = false;
#endif

// Buyer messages: one or two questions, in Chinese or English, padded with the greetings and
// context that real messages carry, 50 to 300 bytes; some with an order number.
std::vector<std::pair<std::string, std::string>> generate(size_t count) {
    const std::vector<std::string> zh_topics{
        "亲，请问这款还有货吗？", "我的快递到哪了，三天了还没更新物流",
        "麻烦帮我改一下收货地址", "收到的杯子碎了，要求退款", "付款一直失败，是不是系统问题",
        "激活码用不了，提示已被使用", "你们客服态度太差了，我要投诉！！！",
        "尺码偏小，可以换大一号吗", "發票什麼時候可以開？", "急！明天就要用，今天能发货吗",
        "账号登录不上，验证码收不到", "什么时候发货啊，等了一个星期了"};
    const std::vector<std::string> en_topics{
        "Hi, is this still available in blue?",
        "Where is my package? Tracking hasn't updated in 5 days.",
        "I was charged twice for the same order, please fix it.",
        "The mug arrived broken, I want a refund.",
        "Can I change the shipping address before it ships?",
        "My license key doesn't work, it says invalid.",
        "This is a SCAM, I will file a chargeback!!!",
        "Do you ship to Canada? How long does it take?",
        "I can't log in, the password reset email never arrives.",
        "Please cancel my order, I ordered the wrong size."};
    const std::vector<std::string> zh_filler{
        "您好，", "亲，", "我是上周在你们店买的，", "这是给我妈妈买的生日礼物，", "麻烦看一下，",
        "谢谢！", "辛苦了。", "我已经等了好几天了，", "之前也在你们家买过几次，",
        "东西本身还可以，", "拍的是蓝色那款，"};
    const std::vector<std::string> en_filler{
        "Hi there,", "Hello,", "I bought this last week for my daughter's birthday.",
        "Thanks in advance.", "Could you please take a look?",
        "I've bought from your shop before and was happy.", "The item itself looks nice.",
        "Let me know what you think.", "Best regards, Anna"};
    std::mt19937 rng(42);
    std::vector<std::pair<std::string, std::string>> out;
    out.reserve(count);
    for (size_t i = 0; i < count; ++i) {
        bool zh = rng() % 2 == 0;
        size_t target = 50 + rng() % 251;
        std::string body;
        int topics = 0;
        while (body.size() < target) {
            bool topic = topics == 0 || (topics < 2 && rng() % 3 == 0);
            const auto& pool = topic ? (zh ? zh_topics : en_topics) : (zh ? zh_filler : en_filler);
            topics += topic ? 1 : 0;
            body += pool[rng() % pool.size()];
            body += zh ? "" : " ";
        }
        if (rng() % 4 == 0) {
            body += zh ? "订单号 " + std::to_string(100000000 + rng() % 900000000)
                       : "order #" + std::to_string(100000 + rng() % 900000);
        }
        std::string subject = rng() % 3 == 0 ? (zh ? "咨询" : "Question") : "";
        out.emplace_back(std::move(subject), std::move(body));
    }
    return out;
}

}  // namespace

TEST_CASE("triage: throughput of classify on one core") {
    kefu::triage::Engine engine = kefu::triage::Engine::load(kefu::Config{});
    const size_t count = k_optimized ? 200000 : 20000;
    auto messages = generate(count);
    size_t bytes = 0;
    for (const auto& [subject, body] : messages) {
        bytes += subject.size() + body.size();
    }
    // The best of three rounds: the machine may be busy with other work.
    double best = 0;
    double checksum = 0;
    for (int round = 0; round < 3; ++round) {
        double start = cpu_seconds();
        for (const auto& [subject, body] : messages) {
            checksum += engine.classify({subject, body}).static_score;
        }
        double seconds = cpu_seconds() - start;
        best = std::max(best, static_cast<double>(count) / seconds);
    }
    std::cout << "classify: " << static_cast<long>(best) << " inquiries/s on one core ("
              << count << " messages, " << bytes / count << " bytes on average"
              << (k_optimized ? "" : "; unoptimized or sanitized build, not enforced") << ")\n";
    CHECK(checksum > 0);
    // The target (200,000 a second) is measured by make bench (its triage section), where
    // nothing else runs beside it. Here, beside the other tests, only a slowdown far beyond
    // what a busy machine explains fails.
    if (k_optimized) {
        CHECK(best >= 50000);
    }
}
