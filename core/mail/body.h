#pragma once
// Internal to core/mail: choosing and decoding the text body of a parsed GMime message and
// listing its attachments (the rules are described in message.h).

#include <gmime/gmime.h>

#include <string>

#include "core/mail/message.h"

namespace kefu::mail::detail {

// Fills m.body_full, m.body_from_html, m.attachments, and adds to m.notes and
// m.had_replacement. Returns the charset label of the first text part ("" if none), which is
// the best guess for undeclared 8-bit text in the headers.
std::string collect_body(GMimeMessage* message, Message& m);

}  // namespace kefu::mail::detail
