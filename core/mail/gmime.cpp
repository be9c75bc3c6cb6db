#include "core/mail/gmime.h"

#include <algorithm>
#include <mutex>
#include <vector>

namespace kefu::mail::detail {
namespace {

constexpr size_t k_max_notes = 32;

}  // namespace

GMimeParserOptions* parser_options() {
    static std::once_flag once;
    static GMimeParserOptions* options = nullptr;
    std::call_once(once, [] {
        g_mime_init();
        options = g_mime_parser_options_new();
        static const char* k_fallback[] = {"UTF-8", "GB18030", "windows-1252", nullptr};
        g_mime_parser_options_set_fallback_charsets(options, k_fallback);
    });
    return options;
}

void add_note(std::vector<std::string>& notes, std::string note) {
    if (notes.size() >= k_max_notes || std::find(notes.begin(), notes.end(), note) != notes.end()) {
        return;
    }
    notes.push_back(std::move(note));
}

}  // namespace kefu::mail::detail
