#include "cmd/replies_setup.h"

#include <fmt/format.h>


#include "cmd/triage_setup.h"
#include "core/error.h"
#include "core/queue.h"
#include "core/replies/tokens.h"
#include "core/store/captures.h"
#include "core/text.h"

namespace kefu::cli {

std::string user_templates_dir(const Context& ctx) {
    return ctx.config_dir() + "/templates";
}

std::string library_cache_path() {
    std::string dir = cache_dir();
    return dir.empty() ? "" : dir + "/replies.cache";
}

replies::Library load_library(const Context& ctx) {
    return replies::Library::load_cached(user_templates_dir(ctx), library_cache_path());
}

ReplyTarget read_target(Context& ctx, Store& store, int64_t id) {
    auto inquiry = get_inquiry(store, id, priority_model(ctx), ctx.now());
    if (!inquiry) {
        throw Error("no such inquiry", fmt::format("#{}", id), "there is no inquiry with this id",
                    "`kefu list --status all` shows the ids");
    }
    ReplyTarget t;
    t.inquiry = std::move(*inquiry);
    if (t.inquiry.customer_id != 0) {
        SQLite::Statement q(store.db(), "SELECT salutation, vip FROM customer WHERE id = ?");
        q.bind(1, t.inquiry.customer_id);
        if (q.executeStep()) {
            t.salutation = q.getColumn(0).getString();
            t.vip = q.getColumn(1).getInt() != 0;
        }
    }
    SQLite::Statement q(store.db(), "SELECT triage FROM inquiry WHERE id = ?");
    q.bind(1, id);
    if (q.executeStep()) {
        t.captures = captures_from_record(q.getColumn(0).getString());
    }
    return t;
}

std::vector<std::pair<std::string, std::string>> parse_sets(const std::vector<std::string>& sets) {
    std::vector<std::pair<std::string, std::string>> out;
    out.reserve(sets.size());
    for (const std::string& s : sets) {
        out.push_back(replies::parse_assignment(s));
    }
    return out;
}

replies::Values reply_values(const Context& ctx, const ReplyTarget& target,
                             const std::vector<std::pair<std::string, std::string>>& sets) {
    replies::Values v = replies::values_for(ctx.config(), &target.inquiry, target.salutation);
    for (const auto& [name, value] : target.captures) {
        if (v.get(name) == nullptr) {
            v.set(name, value);
        }
    }
    for (const auto& [name, value] : sets) {
        v.set(name, value);
    }
    return v;
}

void check_language(const std::string& lang) {
    bool ok = lang.size() >= 2 && lang.size() <= 8;
    for (char c : lang) {
        ok = ok && ((c >= 'a' && c <= 'z') || c == '-');
    }
    if (!ok) {
        throw usage_error(fmt::format("bad --lang \"{}\"", text::one_line(lang)),
                          "expected a language code such as zh or en");
    }
}

std::string buyer_language(const ReplyTarget& target, const std::string& wanted) {
    if (!wanted.empty()) {
        return wanted;
    }
    if (!target.inquiry.language.empty()) {
        return target.inquiry.language;
    }
    return replies::detect_language(target.inquiry.subject + "\n" + target.inquiry.body);
}

replies::Query reply_query(const ReplyTarget& target, const std::string& language) {
    replies::Query q;
    q.subject = target.inquiry.subject;
    q.body = target.inquiry.body;
    q.category = target.inquiry.category;
    q.tags = target.inquiry.tags;
    q.language = language;
    q.vip = target.vip;
    return q;
}

std::string trim_end(std::string text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ' || text.back() == '\r')) {
        text.pop_back();
    }
    return text;
}

std::string template_language(const replies::Template& tmpl, const std::string& language) {
    for (const std::string& lang : {language, std::string("zh"), std::string("en")}) {
        if (!lang.empty() && tmpl.bodies.count(lang) != 0) {
            return lang;
        }
    }
    return tmpl.bodies.empty() ? std::string() : tmpl.bodies.begin()->first;
}

}  // namespace kefu::cli
