#pragma once
// Finding and masking personal data inside free text (bodies, subjects, replies, notes), for
// `kefu forget` and `kefu redact`, and for spotting contacts a buyer wrote into a message
// (`kefu customer candidates`).
//
// What is found, in this order of precedence (an earlier kind wins where two overlap):
//   email      name@example.com                                              → [email]
//   id number  a Chinese resident ID (18 characters: region, birth date, serial, check
//              character), accepted when its check character is right or a word such as
//              身份证 stands just before it                                   → [id number]
//   address    Chinese: province / city / district followed by a road and a house number
//              (…路478号, with the building and room after it), or a district followed by a
//              place name; English: a house number and street (1420 Maple Ave, Apt 3B), a
//              "City, ST 97205" line, a UK postcode                          → [address]
//   phone      Chinese mobiles (138 1234 5678, +86…), landlines (0571-88886666), numbers
//              written with a leading + and North American (503) 555-0123      → [phone]
// Numbers inside longer digit runs (order numbers, tracking numbers) are never taken for a
// phone or an ID number. Detection is heuristic: it aims at what buyers usually write and
// prefers masking a few characters too many to leaving an address readable.

#include <string>
#include <string_view>
#include <vector>

namespace kefu::privacy {

enum class PiiKind { Email, IdNumber, Address, Phone, Name };

// "[email]", "[id number]", "[address]", "[phone]", "[name]".
std::string_view placeholder(PiiKind kind);

struct PiiSpan {
    PiiKind kind = PiiKind::Email;
    size_t begin = 0;  // byte offsets into the text
    size_t end = 0;
};

// The personal data found in `text` (valid UTF-8), sorted by position, never overlapping.
std::vector<PiiSpan> find_personal_data(std::string_view text);

// Only the contacts (emails and phone numbers) of find_personal_data, which is cheaper.
std::vector<PiiSpan> find_contacts(std::string_view text);

// Masks personal data, and the known names of one buyer, in texts.
class Redactor {
public:
    // `names`: the buyer's name and handles, replaced wherever they occur (case-insensitive;
    // Latin-script names as whole words, each word of a multi-word Latin name too). Strings
    // shorter than two characters are ignored: they would mask ordinary words.
    explicit Redactor(const std::vector<std::string>& names = {});
    ~Redactor();
    Redactor(Redactor&&) noexcept;
    Redactor& operator=(Redactor&&) noexcept;
    Redactor(const Redactor&) = delete;
    Redactor& operator=(const Redactor&) = delete;

    // The text with every finding replaced by its placeholder; `count` (if given) receives
    // the number of replacements.
    std::string redact(std::string_view text, size_t* count = nullptr) const;

private:
    struct Impl;
    Impl* m_impl = nullptr;
};

}  // namespace kefu::privacy
