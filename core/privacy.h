#pragma once
// Masking of buyers' contacts for lists and exports: 13812341234 → 138****1234,
// zhang.wei@example.com → z***@example.com. Anything else that looks personal is cut
// to its first character.

#include <string>
#include <string_view>

namespace kefu {

std::string mask_contact(std::string_view contact);

}  // namespace kefu
