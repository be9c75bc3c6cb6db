#include <doctest/doctest.h>

#include "core/encoding.h"
#include "core/privacy.h"
#include "core/text.h"

using namespace kefu;

TEST_CASE("UTF-8 validation finds the first bad byte") {
    size_t bad = 0;
    CHECK(text::valid_utf8("hello 你好 ✓"));
    CHECK_FALSE(text::valid_utf8("ab\xC3", &bad));
    CHECK(bad == 2);
    CHECK_FALSE(text::valid_utf8("\xED\xA0\x80", &bad));  // a surrogate
    CHECK_FALSE(text::valid_utf8("\xC0\xAF", &bad));      // overlong
    CHECK(text::repair_utf8("a\xFF" "b") == "a\xEF\xBF\xBD" "b");
}

TEST_CASE("display width counts CJK as two columns") {
    CHECK(text::display_width("abc") == 3);
    CHECK(text::display_width("退款") == 4);
    CHECK(text::display_width("ＲＥＦＵＮＤ") == 12);
    CHECK(text::display_width("a\x1b[31m") == 5);  // ESC itself takes no column
    CHECK(text::truncate_to_width("我要退款谢谢", 7) == "我要退…");
    CHECK(text::display_width(text::truncate_to_width("我要退款谢谢", 7)) <= 7);
    CHECK(text::truncate_to_width("short", 10) == "short");
    CHECK(text::pad_to_width("退款", 6) == "退款  ");
    CHECK(text::pad_to_width("7", 3, true) == "  7");
}

TEST_CASE("control characters never reach the terminal raw") {
    CHECK(text::escape_controls("a\x1b[2Jb") == "a\\e[2Jb");
    CHECK(text::escape_controls("line\nnext") == "line\nnext");
    CHECK(text::escape_controls("line\nnext", false) == "line\\nnext");
    CHECK(text::escape_controls("bell\x07") == "bell\\x07");
    CHECK(text::escape_controls("csi\xC2\x9B") == "csi\\u009b");
    CHECK(text::escape_controls("bad\xFF") == "bad\\xff");
    CHECK(text::one_line("a\n\n  b\tc\x1b") == "a b c\\e");
}

TEST_CASE("fold normalizes width and case for matching") {
    CHECK(text::fold("ＲＥＦＵＮＤ") == "refund");
    CHECK(text::fold("Straße") == "strasse");
    CHECK(text::fold("退款") == "退款");
    CHECK(text::trim("\xE3\x80\x80 x \t") == "x");
}

TEST_CASE("encodings: GB family read as GB18030, detection") {
    CHECK(encoding::canonical_name("gb2312") == "GB18030");
    CHECK(encoding::canonical_name("GBK") == "GB18030");
    CHECK(encoding::canonical_name("x-gbk") == "GB18030");
    CHECK(encoding::canonical_name("utf8") == "UTF-8");
    encoding::Decoder gb("gbk");
    std::string out;
    CHECK(gb.decode("\xCD\xCB\xBF\xEE", out));  // 退款
    CHECK(out == "退款");
    out.clear();
    size_t bad = 0;
    CHECK_FALSE(gb.decode("ok\xFF\xFF", out, &bad));
    CHECK(bad == 2);
    CHECK(encoding::detect("\xEF\xBB\xBFhello", true).bom_length == 3);
    CHECK(encoding::detect("plain, ascii\n", true).name == "UTF-8");
    std::string gbk_text;
    for (int i = 0; i < 50; ++i) {
        gbk_text += "\xC7\xD7\xA3\xAC\xCE\xD2\xB5\xC4\xBF\xEC\xB5\xDD\xB5\xBD\xC4\xC4\xC0\xEF\xC1\xCB\xA3\xBF\n";
    }
    CHECK(encoding::detect(gbk_text, true).name == "GB18030");
}

TEST_CASE("contacts are masked") {
    CHECK(mask_contact("13812341234") == "138****1234");
    CHECK(mask_contact("+86 138 1234 1234") == "138****1234");
    CHECK(mask_contact("zhang.wei@example.com") == "z***@example.com");
    CHECK(mask_contact("小鹿爱购物") == "小***");
    CHECK(mask_contact("") == "");
}
