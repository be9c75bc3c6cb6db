#pragma once
// Importing files into the store: CSV exports and mail (mbox, maildir, .eml), from a path
// or stdin. Each file is one import batch with its own counts and reject file; records are
// written in transactions of `batch_size`, so an interrupted import leaves whole batches and
// a second run completes it (see core/store/inquiry_writer.h).

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/csv/reader.h"
#include "core/import/columns.h"
#include "core/store/inquiry_writer.h"
#include "core/time.h"

namespace kefu::import {

struct Options {
    std::string type;      // "", "csv", "mbox", "maildir", "eml": "" = from the path and content
    std::string encoding;  // "" = detect
    char delimiter = 0;    // 0 = sniff
    std::map<Field, std::string> map;  // --map field=Header
    std::optional<Preset> preset;      // --preset, as load_preset() read it (once per run)
    timeutil::Zone zone;               // naive times are read in this zone
    bool zone_given = false;
    std::string channel;               // channel when the file has no channel column
    bool dry_run = false;
    std::string rejects_file;          // --rejects FILE (shared by every input, appended to)
    std::string rejects_dir;           // default folder for reject files
    size_t batch_size = 50000;
    std::vector<std::string> own_addresses;  // mail from these is the seller's reply
};

struct Progress {
    uint64_t bytes = 0;
    uint64_t total_bytes = 0;  // 0 when unknown (stdin)
    uint64_t records = 0;
};
using ProgressFn = std::function<void(const Progress&)>;

struct Summary {
    std::string source;
    std::string kind;       // csv, mbox, maildir, eml
    std::string encoding;   // CSV: the encoding read
    char delimiter = 0;     // CSV
    uint64_t records = 0;   // records read
    uint64_t n_new = 0;
    uint64_t n_duplicate = 0;
    uint64_t n_rejected = 0;
    uint64_t n_flagged = 0;  // imported with replacement characters
    uint64_t n_replies = 0;  // seller's own mails recorded as replies
    uint64_t n_skipped = 0;  // blank lines, preamble lines before the header, files not mail
    std::string rejects_path;  // "" when nothing was rejected
    std::vector<std::string> notes;     // what the user should know (no time column, …)
    std::vector<std::string> flagged;   // sources of records flagged with replacement characters
    // A dry run writes no reject file: its first rejected records, "line 12: why" (or the
    // file and why for a mail folder), to show instead (RejectWriter::listed).
    std::vector<std::string> dry_rejects;
};

// Imports one path ("-" = stdin). Throws kefu::Error when the input cannot be read at all
// (missing file, folder that is no maildir, no message column…): then nothing is written.
Summary import_path(Store& store, const std::string& path, const Options& options,
                    const Classifier& classifier, TimePoint now, const ProgressFn& progress);

// The kind of input at `path`: "csv", "mbox", "maildir" or "eml" (or options.type).
std::string detect_kind(const std::string& path, std::string_view first_bytes, bool is_dir);

// CSV import of one stream (called by import_path).
Summary import_csv(Store& store, csv::Source& source, const std::string& name, uint64_t total_bytes,
                   const Options& options, const Classifier& classifier, TimePoint now,
                   const ProgressFn& progress);

// Mail import (called by import_path): `kind` is "mbox", "eml" (a stream: a file or stdin) or
// "maildir" (a folder: maildirs, nested ones, and loose message files). `source` is the
// stream for mbox/eml and is not used for folders.
Summary import_mail(Store& store, const std::string& kind, csv::Source* source, const std::string& path,
                    uint64_t total_bytes, const Options& options, const Classifier& classifier,
                    TimePoint now, const ProgressFn& progress);

}  // namespace kefu::import
