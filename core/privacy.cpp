#include "core/privacy.h"

#include "core/store/customers.h"
#include "core/text.h"

namespace kefu {

std::string mask_contact(std::string_view raw) {
    std::string_view s = text::trim(raw);
    if (s.empty()) {
        return {};
    }
    size_t at = s.find('@');
    if (at != std::string_view::npos && at > 0) {
        size_t i = 0;
        text::next_code_point(s, i);
        return std::string(s.substr(0, i)) + "***" + std::string(s.substr(at));
    }
    std::string digits = normalize_phone(s);
    if (!digits.empty()) {
        if (digits.size() >= 7) {
            return digits.substr(0, 3) + std::string(digits.size() - 7, '*') + digits.substr(digits.size() - 4);
        }
        return digits.substr(0, 1) + std::string(digits.size() - 1, '*');
    }
    size_t i = 0;
    text::next_code_point(s, i);
    return std::string(s.substr(0, i)) + "***";
}

}  // namespace kefu
