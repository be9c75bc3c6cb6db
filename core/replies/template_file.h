#pragma once
// Reading one template file (the format described at the top of templates/general.toml).
// The parser reports every problem it finds rather than stopping at the first, each with the
// file:line:col of the key, value or placeholder at fault; columns count characters.

#include <string>
#include <string_view>
#include <vector>

#include "core/replies/library.h"

namespace kefu::replies {

// The languages a file is written in when it does not say (`languages = [...]`).
inline const std::vector<std::string> k_default_languages = {"zh", "en"};

struct ParsedFile {
    std::vector<Template> templates;  // those that parsed without problems
    std::vector<Problem> problems;    // in the order of their position in the file
};

// Parses `text`; `origin` names the file in Template::origin and in problems, and `builtin`
// goes into Template::builtin. A template with a problem is left out of `templates`.
ParsedFile parse_template_file(std::string_view text, const std::string& origin, bool builtin);

}  // namespace kefu::replies
