// kefu reply ID --template T: render a canned reply, record it, move the conversation to
// waiting and schedule the template's follow-up, all in one transaction.
#include <fmt/format.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <memory>
#include <optional>

#include "cmd/commands.h"
#include "cmd/render.h"
#include "cmd/replies_setup.h"
#include "core/error.h"
#include "core/replies/history.h"
#include "core/files.h"
#include "core/text.h"
#include "core/time.h"
#include "core/workflow/reply.h"
#include "core/workflow/status.h"
#include "core/workflow/when.h"

namespace kefu::cli {
namespace {

struct ReplyOptions {
    std::string id;
    std::string template_id;
    int pick = 0;
    std::string text;
    std::string lang;
    std::vector<std::string> sets;
    std::string followup;  // overrides the template's
    bool no_followup = false;
    bool dry_run = false;
    bool edit = false;
};

// What is about to be sent.
struct Draft {
    const replies::Template* tmpl = nullptr;  // null for a text written by hand
    std::string language;
    std::string text;
};

// Opens $VISUAL or $EDITOR on `text` and returns what the seller saved. The editor runs
// through the shell, so that EDITOR="code --wait" works as it does for git.
std::string edit_text(const std::string& text) {
    std::string editor = env("VISUAL").empty() ? env("EDITOR") : env("VISUAL");
    if (editor.empty()) {
        throw usage_error("no editor", "--edit needs $VISUAL or $EDITOR",
                          "e.g. EDITOR=nano kefu reply 12 --template greeting --edit");
    }
    std::string dir = env("TMPDIR").empty() ? "/tmp" : env("TMPDIR");
    std::string path = dir + "/kefu-reply-XXXXXX.txt";
    int fd = mkstemps(path.data(), 4);
    if (fd < 0) {
        throw Error("cannot open a file to edit the reply", dir, "mkstemps failed");
    }
    close(fd);
    struct Remove {
        std::string path;
        ~Remove() { unlink(path.c_str()); }
    } cleanup{path};
    {
        std::ofstream f(path, std::ios::binary);
        f << text;
        if (!f) {
            throw Error("cannot write the reply to edit", path, "write failed");
        }
    }
    pid_t pid = fork();
    if (pid < 0) {
        throw Error("cannot start the editor", editor, "fork failed");
    }
    if (pid == 0) {
        execl("/bin/sh", "sh", "-c", (editor + " \"$1\"").c_str(), "sh", path.c_str(),
              static_cast<char*>(nullptr));
        _exit(127);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        throw Error("the editor failed", editor,
                    WIFEXITED(status) ? fmt::format("it exited with status {}", WEXITSTATUS(status))
                                      : std::string("it was killed"),
                    "nothing was recorded");
    }
    return files::read_file(path, "the edited reply");
}

// The template to send: by id, or the Nth suggestion.
const replies::Template* choose_template(Context& ctx, Store& store, const ReplyOptions& o,
                                         const replies::Library& library,
                                         const ReplyTarget& target, const std::string& language,
                                         const replies::Values& values) {
    if (!o.template_id.empty()) {
        const replies::Template* t = library.find(o.template_id);
        if (t == nullptr) {
            throw Error("no such template", o.template_id,
                        "it is neither built in nor in " + user_templates_dir(ctx),
                        fmt::format("`kefu templates list` shows the ids; `kefu suggest {}` the "
                                    "best ones for this inquiry",
                                    target.inquiry.id));
        }
        return t;
    }
    auto history = replies::past_choices(store, target.inquiry.id, target.inquiry.category);
    auto suggestions = replies::suggest(library, reply_query(target, language), history, values,
                                        static_cast<size_t>(o.pick));
    if (suggestions.size() < static_cast<size_t>(o.pick)) {
        throw Error(fmt::format("no suggestion {}", o.pick), fmt::format("#{}", target.inquiry.id),
                    fmt::format("there are only {}", suggestions.size()));
    }
    return suggestions[static_cast<size_t>(o.pick) - 1].tmpl;
}

int run(Context& ctx, const ReplyOptions& o) {
    int64_t id = parse_id(o.id);
    int ways = (o.template_id.empty() ? 0 : 1) + (o.pick == 0 ? 0 : 1) + (o.text.empty() ? 0 : 1);
    if (ways != 1) {
        throw usage_error("say what to send",
                          "give exactly one of --template ID, --pick N or --text TEXT",
                          fmt::format("`kefu suggest {}` shows the best templates", id));
    }
    if (o.pick < 0) {
        throw usage_error("bad --pick", "give the number of a suggestion, 1 or more");
    }
    if (o.no_followup && !o.followup.empty()) {
        throw usage_error("--followup and --no-followup together", "give one of them");
    }
    std::optional<int64_t> followup_override;
    if (!o.followup.empty()) {
        followup_override = workflow::parse_in("--followup", o.followup, 0);
    }
    if (!o.lang.empty()) {
        check_language(o.lang);
    }
    auto sets = parse_sets(o.sets);

    Store& store = ctx.store(o.dry_run ? StoreMode::Read : StoreMode::Write);
    ReplyTarget target = read_target(ctx, store, id);
    std::string language = buyer_language(target, o.lang);
    Draft draft;
    std::optional<replies::Library> library;  // the draft's template points into it
    if (!o.text.empty()) {
        if (text::trim(o.text).empty()) {
            throw usage_error("empty --text", "give the reply's text");
        }
        draft.language = language;
        draft.text = o.text;
    } else {
        library = load_library(ctx);
        replies::Values values = reply_values(ctx, target, sets);
        draft.tmpl = choose_template(ctx, store, o, *library, target, language, values);
        // An explicit --lang must be there; otherwise the buyer's language when the template
        // has it, else the one it has.
        draft.language = o.lang.empty() ? template_language(*draft.tmpl, language) : o.lang;
        replies::Rendered r = replies::render(*draft.tmpl, draft.language, values);
        if (!r.complete()) {
            throw replies::missing_error(draft.tmpl->id, r.missing);
        }
        draft.text = std::move(r.text);
    }
    if (o.edit) {
        draft.text = edit_text(draft.text);
        if (text::trim(draft.text).empty()) {
            throw Error("empty reply", fmt::format("#{}", id), "the edited text is empty",
                        "nothing was recorded");
        }
    }
    draft.text = trim_end(std::move(draft.text));

    Status after = draft.tmpl != nullptr && draft.tmpl->status_after ? *draft.tmpl->status_after
                                                                     : Status::Waiting;
    // The follow-up's delay in seconds; 0 for none.
    int64_t delay_seconds = 0;
    if (followup_override) {
        delay_seconds = *followup_override;
    } else if (draft.tmpl != nullptr && draft.tmpl->followup && !o.no_followup) {
        delay_seconds = *draft.tmpl->followup;
    }
    std::string what = draft.tmpl != nullptr ? "template " + draft.tmpl->id : "written by hand";

    int64_t reply_id = 0;
    int64_t followup_id = 0;
    std::vector<workflow::StatusChange> changes;
    TimePoint now = ctx.now();
    if (!o.dry_run) {
        workflow::NewReply reply;
        if (draft.tmpl != nullptr) {
            reply.template_id = draft.tmpl->id;
            reply.template_title = draft.tmpl->title;
        }
        reply.language = draft.language;
        reply.text = draft.text;
        reply.status_after = after;
        reply.followup_in = delay_seconds;
        workflow::RecordedReply recorded = workflow::record_reply(store, id, reply, now);
        reply_id = recorded.reply_id;
        followup_id = recorded.followup_id;
        changes = std::move(recorded.changes);
    }

    if (ctx.format() != Format::Table) {
        nlohmann::ordered_json j;
        j["id"] = id;
        j["reply_id"] =
            o.dry_run ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(reply_id);
        j["template"] = draft.tmpl != nullptr ? draft.tmpl->id : std::string();
        j["language"] = draft.language;
        j["text"] = draft.text;
        j["status"] = std::string(to_string(o.dry_run ? target.inquiry.status : after));
        j["followup_id"] = followup_id == 0 ? nlohmann::ordered_json(nullptr)
                                            : nlohmann::ordered_json(followup_id);
        j["followup_due_at"] =
            followup_id != 0 ? nlohmann::ordered_json(timeutil::format_iso(now + delay_seconds))
                             : nlohmann::ordered_json(nullptr);
        j["dry_run"] = o.dry_run;
        auto printer = ctx.printer({});
        printer.add(j);
        printer.finish();
    } else {
        ctx.out() << text::escape_controls(draft.text, true) << '\n';
    }
    if (o.dry_run) {
        ctx.note(fmt::format("dry run: nothing recorded ({}{})", what,
                             delay_seconds > 0
                                 ? ", follow-up in " + timeutil::format_span(delay_seconds)
                                 : std::string()));
        return 0;
    }
    std::string summary = fmt::format("#{}: reply #{} recorded ({})", id, reply_id, what);
    if (!changes.empty() && changes.front().changed()) {
        summary += fmt::format(", {} → {}", to_string(changes.front().from),
                               to_string(changes.front().to));
    }
    if (followup_id != 0) {
        summary += fmt::format(", follow-up #{} due {} (in {})", followup_id,
                               timeutil::format_local(now + delay_seconds),
                               timeutil::format_span(delay_seconds));
    }
    ctx.note(summary);
    return 0;
}

void register_reply(CLI::App& app, Context& ctx) {
    auto o = std::make_shared<ReplyOptions>();
    CLI::App* cmd = add_command(
        app, ctx, "reply",
        "Render a reply, record it, set the conversation to waiting, schedule its follow-up",
        "  kefu reply 12 --template shipped-tracking --set tracking_number=SF1234567890\n"
        "  kefu reply 12 --pick 1                  # the top suggestion of kefu suggest 12\n"
        "  kefu reply 12 --template refund-issued --lang en --dry-run\n"
        "  kefu reply 12 --template greeting --edit   # change the text in $EDITOR first\n"
        "  kefu reply 12 --text \"亲，明天一早给您发出～\" --followup 1d\n"
        "  kefu reply 12 --template greeting | xclip -selection clipboard\n"
        "The text goes to stdout, ready to paste; what was recorded is said on stderr.\n"
        "A placeholder without a value stops the reply (exit 1, nothing recorded) and says\n"
        "how to set it: --set name=value, or config.toml [shop] / [placeholders].\n",
        StoreMode::Write, [&ctx, o] { return run(ctx, *o); });
    cmd->add_option("ID", o->id, "inquiry id")->required();
    cmd->add_option("-t,--template", o->template_id, "the template's id (kefu templates list)");
    cmd->add_option("--pick", o->pick, "send the Nth suggestion of kefu suggest");
    cmd->add_option("--text", o->text, "send this text, written by hand, instead of a template");
    cmd->add_option("--lang", o->lang, "the body's language (zh, en …); default: the buyer's");
    cmd->add_option("--set", o->sets, "a placeholder value, name=value (repeatable)");
    cmd->add_option("--followup", o->followup, "schedule the follow-up after this long "
                                               "(30m, 4h, 2d) instead of the template's");
    cmd->add_flag("--no-followup", o->no_followup, "schedule no follow-up");
    cmd->add_flag("--edit", o->edit, "edit the text in $VISUAL or $EDITOR before it is recorded");
    cmd->add_flag("--dry-run", o->dry_run, "print the text only; record nothing");
}

}  // namespace

KEFU_COMMAND(52, "reply", register_reply);

}  // namespace kefu::cli
