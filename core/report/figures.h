#pragma once
// The figures of `kefu report`: what the seller learns from the totals of a period.
//
// Definitions (the README repeats them):
//  - a message is a buyer's inquiry (seller mails are left out); a conversation is a thread,
//    counted in the period when its first message was received in it;
//  - backlog: conversations that are new, open or waiting now, whatever the period; their
//    level is that of `kefu list` (stored priority plus the age term of the model);
//  - first response time of a conversation: from its first message to the first answer, which
//    is the thread's first_response_at, else the first reply recorded in the thread;
//  - resolution time: from the first message to resolved_at, for conversations resolved or
//    closed now;
//  - median and 90th percentile by the nearest-rank method (the value at rank ⌈p·n⌉);
//  - an SLA breach: a conversation answered later than sla.first_response after its first
//    message, or still waiting for a first answer (and not resolved) for longer than that;
//  - a repeat buyer: a customer who wrote in the period and started two conversations or more
//    up to its end;
//  - days are local calendar days (the process time zone).
//
// Speed (a million inquiries must report in well under half a second): every figure comes
// from one pass over one index (schema: inquiry_period holds what the volume of a period
// counts, inquiry_start the conversations with their answer and resolution times, the queue
// index the backlog, reply_sent the templates), each row handed to C++ inside SQLite's scan
// (core/report/fold.h) and counted there: no sort, no temporary table, no table row read. The
// passes are in core/report/passes.h; on a database file two threads run them on two
// connections. The exact percentiles take one value per conversation of the period.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/model.h"
#include "core/queue.h"
#include "core/store/store.h"

namespace kefu::report {

struct Options {
    TimePoint since = 0;
    TimePoint until = 0;
    TimePoint now = 0;
    int64_t sla_first_response = 24 * 3600;  // seconds
    PriorityModel model;                     // levels of the backlog; empty = none known
    size_t top = 10;                         // rows of the top lists
};

struct Count {
    std::string key;
    int64_t n = 0;
};

struct Times {
    int64_t count = 0;
    std::optional<int64_t> median;  // seconds
    std::optional<int64_t> p90;
};

struct Day {
    std::string date;  // "2026-11-02", local
    int64_t total = 0;
    std::vector<int64_t> categories;  // indexed like all_categories()
};

struct RepeatBuyer {
    int64_t id = 0;
    std::string name;
    bool vip = false;
    int64_t threads = 0;    // up to the end of the period
    int64_t inquiries = 0;  // up to the end of the period
};

// The buckets of the first-response distribution: upper bounds in seconds (the last is open).
const std::vector<std::pair<std::string, int64_t>>& response_buckets();

struct Figures {
    TimePoint since = 0;
    TimePoint until = 0;
    TimePoint now = 0;

    int64_t inquiries = 0;  // buyer messages received in the period
    int64_t threads = 0;    // conversations started in the period
    int64_t customers = 0;  // customers who wrote in the period
    int64_t replies = 0;    // replies sent in the period

    int64_t backlog = 0;
    std::vector<Count> backlog_status;  // new, open, waiting
    std::vector<Count> backlog_level;   // urgent, high, normal, low; "unscored" without a model

    std::vector<Count> by_category;  // every category, most first
    std::vector<Count> by_channel;   // most first; "" shown as "(none)"
    std::vector<Day> days;           // every local day from the first one with data to until

    Times first_response;
    Times resolution;
    int64_t unanswered = 0;                   // conversations of the period without any answer
    std::vector<int64_t> response_histogram;  // counts per response_buckets()

    int64_t sla_seconds = 0;
    int64_t sla_answered_late = 0;
    int64_t sla_waiting = 0;  // no answer yet, older than the SLA
    int64_t sla_met = 0;

    int64_t repeat_customers = 0;
    std::vector<RepeatBuyer> top_repeat;  // most conversations first

    std::vector<Count> templates;  // most used first (reply.template_id, replies of the period)
};

// Computes the figures. Throws kefu::Error when since is not before until.
Figures compute(Store& store, const Options& options);

// The figures as JSON (field names documented in the README; times in seconds, dates ISO).
nlohmann::ordered_json to_json(const Figures& f);

}  // namespace kefu::report
