#pragma once
// Inquiry ids as a user gives them to the workflow commands: words on the command line
// ("12", "#12") and lines read from a pipe (`kefu list --format tsv | cut -f1 | kefu status -
// resolved`), so that batches can be scripted.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/store/store.h"

namespace kefu::workflow {

// One id: "12" or "#12". Throws a usage error (exit 2) that names the word otherwise.
int64_t parse_id_word(std::string_view word);

// Ids from text, one per line: the first field of each line (up to a tab, comma or space),
// so that whole TSV or CSV lines of `kefu list` work as well as a column cut from them.
// Blank lines and a header line whose first field is "id" are skipped. A line that holds no
// id is a usage error naming `origin`, the line number and the value.
std::vector<int64_t> parse_id_lines(std::string_view text, std::string_view origin);

// The ids of a command line: each word an id, except "-", which stands for the ids read by
// `read_stdin` (called at most once; parse_id_lines with origin "stdin"). No words at all is
// a usage error; an empty pipe gives no ids (an empty batch is not a mistake in a script).
// Duplicates are removed, order kept.
std::vector<int64_t> ids_from_words(const std::vector<std::string>& words,
                                    const std::function<std::string()>& read_stdin);

// The ids in order of first appearance, each once.
std::vector<int64_t> unique_ids(const std::vector<int64_t>& ids);

// Throws kefu::Error (exit 1) naming every id of `ids` that is not an inquiry, so that a
// batch changes nothing unless all of it can be done (`writing` says so in the message).
void require_inquiries(Store& store, const std::vector<int64_t>& ids, bool writing = true);

}  // namespace kefu::workflow
