# As due_concurrency.sh, with every fifth `kefu due` a --mark-notified run that writes while
# the import runs: both must succeed, and the import must complete.
export MARK_EVERY=5
. "$(dirname "$0")/due_concurrency.sh"
