#pragma once
// Cutting quoted history and signatures out of a reply, so that what is stored (and triaged)
// as the buyer's message is what the buyer wrote this time.

#include <string>
#include <string_view>

namespace kefu::mail {

// The text of a reply without the history it quotes and without its signature:
//  - lines starting with '>' are dropped (inline replies keep their own lines in between);
//  - an attribution line that introduces '>' lines ("On … wrote:", "在 … 写道：",
//    "At …, "Name" <a@b> wrote:", also when the client wrapped it over two lines) is dropped;
//    one that is followed by unquoted text is where the history starts;
//  - everything from the first history marker on is cut: "-----Original Message-----",
//    "-----原始邮件-----", "-----邮件原件-----" and QQ/Foxmail's "---- 原始邮件 ----" lines, and
//    Outlook/Foxmail header blocks (a "From:"/"发件人:" line followed by "Sent:"/"发送时间:",
//    "To:"/"收件人:", "Subject:"/"主题:", … lines), with a "_____" rule right above them;
//  - everything from a signature separator ("-- " alone on a line) on is cut, and from the
//    line a phone or mail app adds ("Sent from my iPhone", "发自我的iPhone", "来自网易邮箱大师").
// Leading and trailing blank lines are removed. A message that is nothing but history gives
// "" (the caller keeps the full text as well). Line ends come out as "\n".
std::string strip_quoted(std::string_view body);

}  // namespace kefu::mail
