// The text side of mail bodies: cutting quoted history and signatures, HTML to text.
#include <doctest/doctest.h>

#include <chrono>
#include <string>

#include "core/mail/html.h"
#include "core/mail/quote.h"

using kefu::mail::html_to_text;
using kefu::mail::strip_quoted;

TEST_CASE("mail quote: '>' lines and the attribution before them are dropped") {
    CHECK(strip_quoted("Thanks, received.\n\nOn Mon, Jan 1, 2024 at 10:00 AM Shop "
                       "<kf@shop.example> wrote:\n> Your parcel left today.\n> Bye\n") ==
          "Thanks, received.");
    // Inline replies keep the buyer's own lines.
    CHECK(strip_quoted("Ann <a@b.example> wrote:\n> size?\nL please\n> colour?\nred\n") ==
          "L please\n\nred");
    // A client that wrapped the attribution over two lines.
    CHECK(strip_quoted("ok\n\nOn Mon, Jan 1, 2024 at 10:00 AM Shop <\nkf@shop.example> "
                       "wrote:\n\n> quoted\n") == "ok");
}

TEST_CASE("mail quote: Chinese attributions and original-message markers") {
    CHECK(strip_quoted("收到\n\n在 2023/12/06 13:54, 张三 写道:\n> 已发货\n") == "收到");
    CHECK(strip_quoted("好的\r\n\r\nB.R\r\n\r\n------------------ 原始邮件 ------------------\r\n"
                       "发件人: Gao <g@x>\r\n发送时间: 2019年7月18日 15:22\r\n\r\n原文\r\n") ==
          "好的\n\nB.R");
    CHECK(strip_quoted("可以\n-----原始邮件-----\n发件人：客服\n内容") == "可以");
    CHECK(strip_quoted("可以\n-----邮件原件-----\n内容") == "可以");
    CHECK(strip_quoted("It's ok.\n\n-----Original Message-----\nFrom: Gao\nSent: Friday\n") ==
          "It's ok.");
}

TEST_CASE("mail quote: Outlook and Foxmail header blocks") {
    CHECK(strip_quoted("Hi, Gao Xiang，\n________________________________\n\n"
                       "发件人： Gao Xiang<mailto:g@x>\n发送时间： 2020-10-17 13:16\n"
                       "收件人： linux-erofs\n主题： [PATCH]\nbody of the patch\n") ==
          "Hi, Gao Xiang，");
    CHECK(strip_quoted("Answer here\n\nFrom: Shop [mailto:kf@shop.example]\nSent: Friday, June "
                       "19, 2020 7:44 AM\nTo: me\nSubject: order\n\nold text\n") == "Answer here");
    // One "From:" line alone is the buyer's text, not a header block.
    CHECK(strip_quoted("From: my other address\nplease refund") ==
          "From: my other address\nplease refund");
}

TEST_CASE("mail quote: signatures and plain prose") {
    CHECK(strip_quoted("Where is my order?\n-- \nLi Wang\nPhone 123\n") == "Where is my order?");
    CHECK(strip_quoted("I wrote:\nthe colour is wrong") == "I wrote:\nthe colour is wrong");
    CHECK(strip_quoted("> only quoted\n> text\n").empty());
    CHECK(strip_quoted("\n\n  line  \n\n\n\nnext\n\n") == "  line  \n\nnext");
}

TEST_CASE("mail quote: the line a phone or mail app adds is a signature") {
    CHECK(strip_quoted("Kind regards,\nLaura\n\nSent from Yahoo Mail on Android\n") == "Kind regards,\nLaura");
    CHECK(strip_quoted("收到了，谢谢\n\n发自我的iPhone\n\n------------------ 原始邮件 ------------------\n") ==
          "收到了，谢谢");
    CHECK(strip_quoted("好的\n来自网易邮箱大师\n") == "好的");
    CHECK(strip_quoted("好的\n从我的 iPhone 发送\n") == "好的");
    CHECK(strip_quoted("Thanks!\n\nSent from my iPhone\n") == "Thanks!");
    CHECK(strip_quoted("Get Outlook for iOS\n") == "");
    // Prose that only begins like one stays.
    CHECK(strip_quoted("The parcel was sent from Shenzhen.\nWhere is it?") ==
          "The parcel was sent from Shenzhen.\nWhere is it?");
    CHECK(strip_quoted("我的快递是从我的老家发的吗？") == "我的快递是从我的老家发的吗？");
}

TEST_CASE("mail html: blocks, breaks, links, lists, quotes") {
    CHECK(html_to_text("<p>One</p><p>Two<br>Three</p>") == "One\n\nTwo\nThree");
    CHECK(html_to_text("<div>a   b\n c</div><div>d</div>") == "a b c\nd");
    CHECK(html_to_text("<a href=\"https://x.example/a\">track</a> / "
                       "<a href=\"https://x.example/b\"></a>") == "track / https://x.example/b");
    CHECK(html_to_text("<ul><li>red</li><li>blue</li></ul>") == "- red\n- blue");
    CHECK(html_to_text("<table><tr><td>A</td><td>1</td></tr><tr><td>B</td><td>2</td></tr>"
                       "</table>") == "A 1\nB 2");
    CHECK(html_to_text("ok<blockquote>old<br>text</blockquote>") == "ok\n\n> old\n> text");
    CHECK(html_to_text("<pre>x  y\nz</pre>") == "x  y\nz");
    CHECK(html_to_text("&lt;tag&gt; &amp; &#36890;&#x77e5;") == "<tag> & 通知");
    CHECK(html_to_text("<head><title>t</title><style>x</style></head><script>s</script>v") == "v");
    CHECK(html_to_text("").empty());
}

TEST_CASE("mail html: deeply nested markup stays fast") {
    std::string html;
    for (int i = 0; i < 100000; ++i) {
        html += "<div>";
    }
    html += "deep &amp; text";
    auto start = std::chrono::steady_clock::now();
    std::string text = html_to_text(html);
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    CHECK(text == "deep & text");
    CHECK(seconds < 1.0);
}
