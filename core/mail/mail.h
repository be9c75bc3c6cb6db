#pragma once
// The mail parsing layer in one include: reading mbox files and maildirs, parsing messages
// with GMime, charsets, header text, HTML bodies and quoted history. See each header.

#include "core/mail/charset.h"
#include "core/mail/header.h"
#include "core/mail/html.h"
#include "core/mail/maildir.h"
#include "core/mail/mbox.h"
#include "core/mail/message.h"
#include "core/mail/quote.h"
