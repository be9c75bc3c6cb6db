#pragma once
// The domain types shared by every part of core. Enum values are stored in the database:
// they are explicit and never reused; add new values at the end. to_string/parse are the
// only spellings used in output, flags and files. Changing a value here needs a schema step.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kefu {

using TimePoint = int64_t;  // seconds since the Unix epoch, UTC

enum class Status : int { New = 0, Open = 1, Waiting = 2, Resolved = 3, Closed = 4 };

enum class Category : int {
    Other = 0,
    Product = 1,
    Order = 2,
    Logistics = 3,
    Payment = 4,
    Refund = 5,
    Account = 6,
    Technical = 7,
    Complaint = 8,
};

enum class GoodsKind : int { Unknown = 0, Physical = 1, Virtual = 2 };

enum class IdentityKind : int { Email = 1, Phone = 2, Handle = 3 };

std::string_view to_string(Status s);
std::string_view to_string(Category c);
std::string_view to_string(GoodsKind g);
std::string_view to_string(IdentityKind k);
std::optional<Status> parse_status(std::string_view s);
std::optional<Category> parse_category(std::string_view s);
std::optional<GoodsKind> parse_goods_kind(std::string_view s);
std::optional<IdentityKind> parse_identity_kind(std::string_view s);

// All values in stored order, for help texts, loops and reports.
const std::vector<Status>& all_statuses();
const std::vector<Category>& all_categories();

// One inquiry as it is read back from the store (the fields of DESIGN.md "Data").
struct Inquiry {
    int64_t id = 0;
    std::string source;       // "file.csv:17" or the Message-ID
    std::string external_id;  // id from the export, or the Message-ID
    TimePoint received_at = 0;
    std::string channel;
    int64_t customer_id = 0;
    std::string customer;  // display name
    std::string contact;   // email / phone / handle as given
    std::string order_id;
    std::string product;
    GoodsKind goods_kind = GoodsKind::Unknown;
    std::string subject;
    std::string body;
    std::string body_full;  // mail: the whole decoded text, before quotes were cut
    int64_t thread_id = 0;
    Status status = Status::New;
    Category category = Category::Other;
    std::vector<std::string> tags;
    double priority_static = 0;  // the stored part of the priority
    double priority = 0;         // static + age, computed when read
    std::string level;           // urgent / high / normal / low
    std::string language;        // "zh", "en", … or ""
    int64_t flags = 0;           // InquiryFlag bits
    std::optional<TimePoint> snooze_until;
    std::optional<TimePoint> first_response_at;
};

// Bits of inquiry.flags.
enum InquiryFlag : int64_t {
    k_flag_replacement_chars = 1,  // text still held U+FFFD after decoding
    k_flag_from_seller = 2,        // a message the seller sent (mail from own address)
};

}  // namespace kefu
