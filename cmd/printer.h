#pragma once
// One printer for every command that prints records: an aligned table for people (display
// width aware, CJK = two columns, cut to the terminal, coloured only on a TTY without
// NO_COLOR), and json / jsonl / tsv / csv for scripts. Records are JSON objects whose field
// names are the stable ones documented in the README; table columns pick some of them.

#include <nlohmann/json.hpp>

#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

namespace kefu::cli {

enum class Format { Table, Json, Jsonl, Tsv, Csv };

// "table", "json", … → Format; throws a usage error for anything else.
Format parse_format(const std::string& name);

struct Terminal {
    bool tty = false;
    bool color = false;
    size_t width = 100;
};

struct Column {
    std::string key = {};  // field of the record
    std::string header = {};  // table heading
    bool right = false;  // align right (numbers)
    bool shrink = false; // may be cut to fit the terminal (subjects, bodies)
    int drop = 0;        // > 0: may be left out of a table that is still too wide after the
                         // cuts, the highest first (a narrow terminal)
    // Optional ANSI colour for a cell, from its value ("" = none). Applied only when colour is on.
    std::function<std::string(const nlohmann::ordered_json&)> color = nullptr;
};

// Text of a value as shown in a table/tsv/csv cell: arrays joined with ",", numbers plain.
std::string cell_text(const nlohmann::ordered_json& value);

class RecordPrinter {
public:
    RecordPrinter(std::ostream& out, Format format, std::vector<Column> table_columns,
                  Terminal term);
    // Streams the record (json/jsonl/tsv/csv) or keeps it for layout (table).
    void add(const nlohmann::ordered_json& record);
    // Ends the output (closing bracket, the table itself). Prints nothing for zero records
    // in table/tsv/csv form; "[]" for json.
    void finish();
    size_t count() const { return m_count; }

private:
    void write_delimited(const std::vector<std::string>& cells);

    std::ostream& m_out;
    Format m_format;
    std::vector<Column> m_columns;
    Terminal m_term;
    std::vector<std::string> m_keys;  // tsv/csv: taken from the first record
    // Table: what is shown of each record (its cells, and their colours when colour is on),
    // not the records themselves, and the widest cell of each column so far.
    struct TableRow {
        std::vector<std::string> cells;
        std::vector<std::string> colors;
    };
    std::vector<TableRow> m_rows;
    std::vector<size_t> m_widths;
    size_t m_count = 0;
};

// A JSON value as one line, invalid UTF-8 replaced.
std::string to_json_line(const nlohmann::ordered_json& value);
// JSON text with DEL and the C1 controls (U+0080-U+009F; U+009B is a one-character CSI to
// some terminals) written as \u escapes, as nlohmann::json does for U+0000-U+001F only, so
// that JSON printed to a terminal is as safe as a table. Valid JSON in, valid JSON out.
std::string escape_c1_json(const std::string& json);

// ANSI colours.
inline constexpr const char* k_red = "\x1b[31m";
inline constexpr const char* k_yellow = "\x1b[33m";
inline constexpr const char* k_green = "\x1b[32m";
inline constexpr const char* k_dim = "\x1b[2m";
inline constexpr const char* k_bold = "\x1b[1m";
inline constexpr const char* k_reset = "\x1b[0m";

}  // namespace kefu::cli
