#pragma once
// kefu::Error is a problem the user can fix: a bad file, a bad flag value, a missing
// placeholder. It carries what went wrong, where (file:line, an id, a flag) and why, plus an
// optional hint. main() prints it as one line and exits with its exit code; core never prints.

#include <stdexcept>
#include <string>

namespace kefu {

// Exit codes of DESIGN.md; commands and core agree on these.
enum ExitCode : int {
    k_exit_ok = 0,
    k_exit_failure = 1,
    k_exit_usage = 2,
    k_exit_due = 3,
    k_exit_rejected = 4,
};

class Error : public std::runtime_error {
public:
    Error(std::string what, std::string where, std::string why, std::string hint = {},
          int exit_code = k_exit_failure)
        : std::runtime_error(compose(what, where, why)),
          m_what(std::move(what)),
          m_where(std::move(where)),
          m_why(std::move(why)),
          m_hint(std::move(hint)),
          m_exit_code(exit_code) {}

    const std::string& what_part() const { return m_what; }
    const std::string& where() const { return m_where; }
    const std::string& why() const { return m_why; }
    const std::string& hint() const { return m_hint; }
    int exit_code() const { return m_exit_code; }

    // "what (where): why", the form of DESIGN.md without the "kefu: " prefix.
    static std::string compose(const std::string& what, const std::string& where,
                               const std::string& why) {
        std::string s = what;
        if (!where.empty()) {
            s += " (" + where + ")";
        }
        if (!why.empty()) {
            s += ": " + why;
        }
        return s;
    }

private:
    std::string m_what;
    std::string m_where;
    std::string m_why;
    std::string m_hint;
    int m_exit_code;
};

// A usage error (bad flag value, unknown id form): exit code 2.
inline Error usage_error(std::string what, std::string why, std::string hint = {}) {
    return Error(std::move(what), {}, std::move(why), std::move(hint), k_exit_usage);
}

}  // namespace kefu
