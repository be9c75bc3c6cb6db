#include "core/mail/quote.h"

#include <array>
#include <vector>

#include "core/text.h"

namespace kefu::mail {
namespace {

// Header blocks longer than this many lines after the "From:" line are not looked for.
constexpr size_t k_header_block_lookahead = 8;
// An attribution line is short; a long line ending in "wrote:" is prose.
constexpr size_t k_max_attribution_bytes = 400;

char lower(char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool istarts_with(std::string_view s, std::string_view prefix) {
    if (s.size() < prefix.size()) {
        return false;
    }
    for (size_t i = 0; i < prefix.size(); ++i) {
        if (lower(s[i]) != lower(prefix[i])) {
            return false;
        }
    }
    return true;
}

bool iends_with(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && istarts_with(s.substr(s.size() - suffix.size()), suffix);
}

bool icontains(std::string_view s, std::string_view needle) {
    for (size_t i = 0; i + needle.size() <= s.size(); ++i) {
        if (istarts_with(s.substr(i), needle)) {
            return true;
        }
    }
    return false;
}

bool is_blank(std::string_view line) {
    return text::trim(line).empty();
}

bool is_quoted(std::string_view line) {
    size_t i = line.find_first_not_of(" \t");
    return i != std::string_view::npos && line[i] == '>';
}

// The line a phone or mail app adds under what was written: "Sent from my iPhone",
// "Sent from Yahoo Mail on Android", "Get Outlook for iOS", "发自我的iPhone", "来自网易邮箱大师",
// "从我的 iPhone 发送". Only a short line that is nothing else counts.
bool is_app_signature(std::string_view line) {
    std::string_view t = text::trim(line);
    if (t.empty() || t.size() > 80) {
        return false;
    }
    for (std::string_view start : {"Sent from my ", "Sent from Yahoo Mail", "Sent from Outlook", "Sent from Mail for ",
                                   "Sent from Gmail", "Sent from AOL", "Sent from Samsung", "Get Outlook for ",
                                   "发自我的", "来自我的", "发自网易", "来自网易", "发自QQ邮箱", "来自QQ邮箱",
                                   "发自手机", "来自手机", "发送自 "}) {
        if (t.starts_with(start)) {
            return true;
        }
    }
    return t.starts_with("从我的") && t.ends_with("发送");
}

bool is_signature(std::string_view line) {
    return line == "-- " || line == "--" || is_app_signature(line);
}

// "-----Original Message-----", "-----原始邮件-----", "------------------ 原始邮件 ----…".
bool is_history_marker(std::string_view line) {
    std::string_view t = text::trim(line);
    if (!t.starts_with("---") && !t.starts_with("\xE2\x80\x94\xE2\x80\x94")) {  // "——"
        return false;
    }
    static constexpr std::array<std::string_view, 6> k_words = {
        "original message", "原始邮件", "邮件原件", "原始郵件", "郵件原件", "原始信息"};
    for (std::string_view w : k_words) {
        if (icontains(t, w)) {
            return true;
        }
    }
    return false;
}

// A line of five or more '_' (or '-'), as Outlook puts above a quoted header block.
bool is_rule(std::string_view line) {
    std::string_view t = text::trim(line);
    if (t.size() < 5) {
        return false;
    }
    return t.find_first_not_of('_') == std::string_view::npos ||
           t.find_first_not_of('-') == std::string_view::npos;
}

// The field a line of a quoted header block names: 'F' from, 'D' date/sent, 'T' to,
// 'C' cc, 'S' subject; 0 for any other line. Outlook and Foxmail write these in English or
// Chinese, with an ASCII or a full-width colon, sometimes in bold ("*From:*").
char header_field(std::string_view line) {
    // Most lines have no colon near their start: rejected without further work.
    std::string_view head = line.substr(0, 40);
    if (head.find(':') == std::string_view::npos &&
        head.find("\xEF\xBC\x9A") == std::string_view::npos) {
        return 0;
    }
    std::string_view t = text::trim(line);
    while (t.starts_with("*")) {
        t.remove_prefix(1);
    }
    struct Key {
        std::string_view word;
        char field;
    };
    static constexpr std::array<Key, 22> k_keys = {{
        {"from", 'F'},     {"发件人", 'F'},    {"寄件人", 'F'},   {"寄件者", 'F'}, {"sent", 'D'},
        {"date", 'D'},     {"发送时间", 'D'},  {"發送時間", 'D'}, {"日期", 'D'},   {"时间", 'D'},
        {"to", 'T'},       {"收件人", 'T'},    {"收件者", 'T'},   {"cc", 'C'},     {"抄送", 'C'},
        {"副本", 'C'},     {"subject", 'S'},   {"主题", 'S'},     {"主題", 'S'},   {"主旨", 'S'},
        {"发送日期", 'D'}, {"sent date", 'D'},
    }};
    for (const Key& k : k_keys) {
        if (!istarts_with(t, k.word)) {
            continue;
        }
        std::string_view rest = t.substr(k.word.size());
        while (rest.starts_with("*") || rest.starts_with(" ")) {
            rest.remove_prefix(1);
        }
        if (rest.starts_with(":") || rest.starts_with("\xEF\xBC\x9A")) {
            return k.field;
        }
    }
    return 0;
}

// A "From:" line followed by at least two more header lines: a quoted Outlook/Foxmail block.
bool starts_header_block(const std::vector<std::string_view>& lines, size_t i) {
    if (header_field(lines[i]) != 'F') {
        return false;
    }
    int others = 0;
    for (size_t j = i + 1; j < lines.size() && j <= i + k_header_block_lookahead; ++j) {
        char f = header_field(lines[j]);
        if (f == 'D' || f == 'T' || f == 'C' || f == 'S') {
            ++others;
        }
    }
    return others >= 2;
}

bool starts_with_opener(std::string_view t) {
    static constexpr std::array<std::string_view, 10> k_openers = {
        "on ", "在", "at ", "于", "於", "le ", "am ", "el ", "il ", "op "};
    for (std::string_view o : k_openers) {
        if (istarts_with(t, o)) {
            return true;
        }
    }
    return false;
}

// "On Mon, 1 Jan 2024, Ann <a@b.c> wrote:", "在 2023/12/06 13:54, 张三 写道:", "Ann <a@b> wrote:".
bool is_attribution(std::string_view line) {
    std::string_view t = text::trim(line);
    if (t.empty() || t.size() > k_max_attribution_bytes || t.front() == '>') {
        return false;
    }
    static constexpr std::array<std::string_view, 9> k_endings = {
        "wrote:", "writes:",  "写道：",    "写道:",   "寫道：",
        "寫道:",  "schrieb:", "a écrit :", "a écrit:"};
    bool ends = false;
    for (std::string_view e : k_endings) {
        if (iends_with(t, e)) {
            ends = true;
            break;
        }
    }
    if (!ends) {
        return false;
    }
    if (starts_with_opener(t) || t.find('@') != std::string_view::npos) {
        return true;
    }
    return t.find_first_of("0123456789") != std::string_view::npos;
}

std::vector<std::string_view> split_lines(std::string_view body) {
    std::vector<std::string_view> lines;
    size_t start = 0;
    while (start <= body.size()) {
        size_t nl = body.find('\n', start);
        size_t end = nl == std::string_view::npos ? body.size() : nl;
        std::string_view line = body.substr(start, end - start);
        if (!line.empty() && line.back() == '\r') {
            line.remove_suffix(1);
        }
        lines.push_back(line);
        if (nl == std::string_view::npos) {
            break;
        }
        start = nl + 1;
    }
    return lines;
}

}  // namespace

std::string strip_quoted(std::string_view body) {
    std::vector<std::string_view> lines = split_lines(body);
    std::vector<bool> keep(lines.size(), true);
    size_t cut = lines.size();
    for (size_t i = 0; i < lines.size(); ++i) {
        std::string_view line = lines[i];
        if (is_quoted(line)) {
            keep[i] = false;
            continue;
        }
        if (is_signature(line) || is_history_marker(line)) {
            cut = i;
            break;
        }
        if (starts_header_block(lines, i)) {
            cut = i;
            if (i > 0 && is_rule(lines[i - 1])) {
                cut = i - 1;
            } else if (i > 1 && is_blank(lines[i - 1]) && is_rule(lines[i - 2])) {
                cut = i - 2;
            }
            break;
        }
        if (!is_attribution(line)) {
            continue;
        }
        // A client may wrap the attribution: "On Mon, … Ann <" / "ann@b.c> wrote:".
        size_t first = i;
        std::string_view t = text::trim(line);
        if (!starts_with_opener(t) && i > 0 && keep[i - 1] && !is_blank(lines[i - 1]) &&
            starts_with_opener(text::trim(lines[i - 1]))) {
            first = i - 1;
        }
        size_t next = i + 1;
        while (next < lines.size() && is_blank(lines[next])) {
            ++next;
        }
        if (next < lines.size() && is_quoted(lines[next])) {
            for (size_t k = first; k <= i; ++k) {
                keep[k] = false;
            }
            continue;
        }
        cut = first;
        break;
    }

    std::string out;
    bool pending_blank = false;
    for (size_t i = 0; i < cut; ++i) {
        if (!keep[i]) {
            // Where quoted lines were dropped, the lines around them are separate paragraphs.
            pending_blank = !out.empty();
            continue;
        }
        if (is_blank(lines[i])) {
            pending_blank = !out.empty();
            continue;
        }
        if (pending_blank) {
            out += '\n';
            pending_blank = false;
        }
        out += lines[i];
        out += '\n';
    }
    if (!out.empty()) {
        out.pop_back();
    }
    return out;
}

}  // namespace kefu::mail
