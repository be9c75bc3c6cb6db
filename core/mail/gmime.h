#pragma once
// GMime plumbing shared by the mail parser (internal to core/mail): one-time initialisation
// and ownership of GObject references, so that every object GMime hands out is released
// exactly once.

#include <gmime/gmime.h>

#include <memory>
#include <string>
#include <vector>

namespace kefu::mail::detail {

// Initialises GMime once per process (thread-safe, idempotent) and returns the parser options
// kefu uses: GMime's defaults, with undeclared 8-bit header text (which GMime decodes itself
// inside addresses and parameters) tried as UTF-8, then GB18030, then windows-1252.
GMimeParserOptions* parser_options();

struct GObjectUnref {
    void operator()(gpointer p) const {
        if (p != nullptr) {
            g_object_unref(p);
        }
    }
};

// Owns one reference to a GObject (a stream, a parser, a message).
template <typename T>
using GPtr = std::unique_ptr<T, GObjectUnref>;

// Adds `note` to `notes` unless it is already there; keeps at most 32 notes.
void add_note(std::vector<std::string>& notes, std::string note);

}  // namespace kefu::mail::detail
