#include "core/customers/merge.h"

#include <fmt/format.h>

#include <algorithm>
#include <memory>
#include <nlohmann/json.hpp>

#include "core/customers/customers.h"
#include "core/error.h"

namespace kefu::customers {
namespace {

struct CustomerFields {
    std::string name;
    std::string salutation;
    std::string note;
    bool vip = false;
    TimePoint created_at = 0;
};

CustomerFields load(Store& store, int64_t id) {
    SQLite::Statement q(
        store.db(), "SELECT name, salutation, note, vip, created_at FROM customer WHERE id = ?");
    q.bind(1, id);
    if (!q.executeStep()) {
        throw Error("no such customer", fmt::format("#{}", id), "there is no customer with this id",
                    "`kefu customer list` shows the customers");
    }
    return {q.getColumn(0).getString(), q.getColumn(1).getString(), q.getColumn(2).getString(),
            q.getColumn(3).getInt() != 0, q.getColumn(4).getInt64()};
}

}  // namespace

MergePlan merge_customers(Store& store, int64_t keep, int64_t absorb, TimePoint now, bool dry_run) {
    if (keep == absorb) {
        throw usage_error("cannot merge a customer with itself", fmt::format("both are #{}", keep));
    }
    // The plan is read inside the write transaction so that what is shown is what moves.
    std::unique_ptr<WriteTx> tx;
    if (!dry_run) {
        tx = std::make_unique<WriteTx>(store);
    }
    CustomerFields k = load(store, keep);
    CustomerFields a = load(store, absorb);
    MergePlan plan;
    plan.keep = keep;
    plan.absorb = absorb;
    plan.keep_name = k.name;
    plan.absorb_name = a.name;
    plan.vip_after = k.vip || a.vip;
    plan.name_after = k.name.empty() ? a.name : k.name;

    SQLite::Statement inq(store.db(), "SELECT id FROM inquiry WHERE customer_id = ? ORDER BY id");
    inq.bind(1, absorb);
    while (inq.executeStep()) {
        plan.inquiries.push_back(inq.getColumn(0).getInt64());
    }
    SQLite::Statement ids(store.db(),
                          "SELECT kind, channel, display, value FROM identity WHERE customer_id = "
                          "? ORDER BY kind, id");
    ids.bind(1, absorb);
    while (ids.executeStep()) {
        std::string label(to_string(static_cast<IdentityKind>(ids.getColumn(0).getInt())));
        std::string channel = ids.getColumn(1).getString();
        if (!channel.empty()) {
            label += " (" + channel + ")";
        }
        std::string shown = ids.getColumn(2).getString();
        plan.identities.push_back(label + ": " +
                                  (shown.empty() ? ids.getColumn(3).getString() : shown));
    }
    SQLite::Statement events(store.db(), "SELECT count(*) FROM event WHERE customer_id = ?");
    events.bind(1, absorb);
    events.executeStep();
    plan.events = events.getColumn(0).getInt64();
    if (dry_run) {
        // The inquiries that would need re-scoring: both customers' active thread heads.
        plan.rescore = on_customer_changed(store, keep);
        auto more = on_customer_changed(store, absorb);
        plan.rescore.insert(plan.rescore.end(), more.begin(), more.end());
        std::sort(plan.rescore.begin(), plan.rescore.end());
        return plan;
    }

    auto exec = [&](const char* sql) {
        SQLite::Statement s(store.db(), sql);
        s.bind(1, keep);
        s.bind(2, absorb);
        s.exec();
    };
    exec("UPDATE inquiry SET customer_id = ?1 WHERE customer_id = ?2");
    exec("UPDATE identity SET customer_id = ?1 WHERE customer_id = ?2");
    exec("UPDATE event SET customer_id = ?1 WHERE customer_id = ?2");
    SQLite::Statement up(
        store.db(),
        "UPDATE customer SET name = ?, salutation = ?, note = ?, vip = ?, created_at = ? "
        "WHERE id = ?");
    up.bind(1, plan.name_after);
    up.bind(2, k.salutation.empty() ? a.salutation : k.salutation);
    std::string note = k.note;
    if (!a.note.empty() && a.note != k.note) {
        note += (note.empty() ? "" : "\n") + a.note;
    }
    up.bind(3, note);
    up.bind(4, plan.vip_after ? 1 : 0);
    up.bind(5, std::min(k.created_at, a.created_at));
    up.bind(6, keep);
    up.exec();
    SQLite::Statement del(store.db(), "DELETE FROM customer WHERE id = ?");
    del.bind(1, absorb);
    del.exec();

    nlohmann::ordered_json detail;
    detail["from"] = absorb;
    detail["name"] = a.name;
    detail["inquiries"] = plan.inquiries.size();
    detail["identities"] = plan.identities.size();
    detail["events"] = plan.events;
    SQLite::Statement ev(store.db(),
                         "INSERT INTO event(inquiry_id, customer_id, at, kind, detail) VALUES "
                         "(NULL, ?, ?, 'merge', ?)");
    ev.bind(1, keep);
    ev.bind(2, now);
    ev.bind(3, detail.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace));
    ev.exec();
    plan.rescore = on_customer_changed(store, keep);
    tx->commit();
    return plan;
}

}  // namespace kefu::customers
