# Every command has --help with examples, and usage errors exit 2.
. "$(dirname "$0")/lib/common.sh"

kefu 0 --help
contains out "Subcommands:"
commands=$(sed -n '/^Subcommands:/,/^$/p' "$T/out" | awk 'NR>1 && NF {print $1}')
[ -n "$commands" ] || fail "no commands listed"
for c in $commands; do
    kefu 0 "$c" --help
    contains out "Examples:"
    contains out "kefu $c"
    # Commands with subcommands (customer, followup, rules, …): each of those too.
    subs=$(sed -n '/^Subcommands:/,/^$/p' "$T/out" | awk 'NR>1 && NF {print $1}')
    for s in $subs; do
        kefu 0 "$c" "$s" --help
        contains out "Examples:"
        contains out "kefu $c $s"
    done
done
kefu 2 list --status bogus
contains err "kefu: error: bad --status"
kefu 2 list --limit notanumber
contains err "kefu: error: usage:"
kefu 2 nosuchcommand
contains err "kefu: error: usage:"
kefu 2 show abc
contains err "is not an inquiry id"
kefu 0 --version
contains out "kefu "
# kefu alone shows the commands; a missing argument is said with the command's own example.
kefu 0
contains out "Start with:"
kefu 2 status
contains err "kefu: error: usage: kefu status needs more arguments"
contains err "kefu: hint: for example \`kefu status 12 open\`; see \`kefu status --help\`"
kefu 2 customer merge 3
contains err "kefu: hint: for example \`kefu customer merge 3 12 --dry-run\`"
