#!/usr/bin/env python3
"""gen_mbox.py: writes synthetic buyer mail for kefu's benchmark (the mail section of run.sh).

  python3 bench/gen_mbox.py --messages N [--seed S] [--mbox FILE] [--maildir DIR]
                            [--stats FILE]

Output formats:
  --mbox FILE    one mbox (mboxrd): each message starts with a "From " line
                 ("From ADDRESS Www Mmm dd hh:mm:ss yyyy"), LF line ends, a blank line after
                 each message, and body lines that begin with ">*From " get one more ">".
  --maildir DIR  the same messages, one file each, in DIR/new (DIR/cur and DIR/tmp are made
                 empty), named NNNNNNN.kefubench (the message's number), LF line ends.
  --stats FILE   "key value" lines: messages, bytes of the mbox, and how many messages are
                 base64, quoted-printable, 8bit/7bit, gb2312/gbk, multipart, replies.

The messages are buyer inquiries to a shop: Chinese (about 60%) and English subjects and bodies
from the topics of kefu's triage categories. The body's transfer encoding is base64,
quoted-printable or plain 8bit/7bit, about a third each; about a quarter of the Chinese messages
are labelled gb2312 or gbk (and encoded so), the rest UTF-8; about 15% are multipart/alternative
with an HTML part; about 20% answer an earlier message with In-Reply-To, References, "Re:" and
the earlier text quoted below an attribution line. Non-ASCII subjects and names are RFC 2047
encoded words. Dates are spread over 2025 in order.

Every choice is drawn from random.Random(seed).random(), whose sequence Python keeps the same
across versions, so the same --seed and --messages give the same bytes on every machine.
"""

import argparse
import base64
import os
import quopri
import random
import sys

ZH_TOPICS = [
    ("请问这款还有货吗", [
        "亲，请问这款还有货吗？蓝色的M码什么时候补货？",
        "这个产品是什么材质的，会不会掉色？",
        "尺码偏小吗，平时穿L的要拍哪个？",
    ]),
    ("物流一直没更新", [
        "我的快递到哪了，三天了物流还没更新。",
        "快递显示已签收但是我没收到，麻烦查一下。",
        "什么时候发货啊，等了一个星期了，急用！",
    ]),
    ("要求退款", [
        "收到的杯子碎了，要求退款。",
        "不想要了，申请退款，钱什么时候退回？",
        "质量太差了，我要退货退款。",
    ]),
    ("付款问题", [
        "付款一直失败，是不是系统问题？",
        "我被扣了两次钱，请帮我处理一下。",
        "可以开发票吗？公司报销要用。",
    ]),
    ("修改订单", [
        "麻烦帮我改一下收货地址。",
        "能不能取消订单，我拍错颜色了。",
        "订单里少了一件，请帮我补发。",
    ]),
    ("账号登录不上", [
        "账号登录不上，验证码收不到。",
        "密码忘了，重置邮件一直没有收到。",
    ]),
    ("激活码用不了", [
        "激活码用不了，提示已被使用。",
        "软件安装以后打不开，一直闪退。",
    ]),
    ("投诉", [
        "你们客服态度太差了，我要投诉！！！",
        "等了十天都没人处理，太失望了，我要差评。",
    ]),
    ("咨询", [
        "你好，想问一下你们店铺周末发货吗？",
        "请问可以寄到香港吗，运费多少？",
    ]),
]
ZH_FILLER = ["您好，", "亲，", "我是上周在你们店买的，", "这是给我妈妈买的生日礼物，",
             "麻烦看一下，", "谢谢！", "辛苦了。", "我已经等了好几天了，",
             "之前也在你们家买过几次，", "东西本身还可以，", "拍的是蓝色那款，"]
EN_TOPICS = [
    ("Is this still available?", ["Hi, is this still available in blue?",
                                  "What material is the case made of? Is it waterproof?"]),
    ("Where is my package?", ["Where is my package? Tracking hasn't updated in 5 days.",
                              "The tracking says delivered but nothing arrived."]),
    ("Refund request", ["The mug arrived broken, I want a refund.",
                        "I returned the item two weeks ago and still have no refund."]),
    ("Charged twice", ["I was charged twice for the same order, please fix it.",
                       "My card was declined but the money left my account."]),
    ("Change my order", ["Can I change the shipping address before it ships?",
                         "Please cancel my order, I ordered the wrong size."]),
    ("Cannot log in", ["I can't log in, the password reset email never arrives."]),
    ("License key invalid", ["My license key doesn't work, it says invalid.",
                             "The app crashes on start since the last update."]),
    ("Complaint", ["This is a SCAM, I will file a chargeback!!!",
                   "Nobody answered my last three messages. Very disappointed."]),
    ("Question", ["Do you ship to Canada? How long does it take?",
                  "Do you offer gift wrapping?"]),
]
EN_FILLER = ["Hi there,", "Hello,", "I bought this last week for my daughter's birthday.",
             "Thanks in advance.", "Could you please take a look?",
             "I've bought from your shop before and was happy.", "The item itself looks nice.",
             "Let me know what you think.", "Order placed on the 3rd."]
ZH_NAMES = ["王芳", "李伟", "张敏", "刘洋", "陈静", "杨磊", "赵丽", "黄强", "周杰", "吴霞"]
EN_NAMES = ["Anna Smith", "Tom Baker", "Maria Garcia", "John Lee", "Emma Brown", "Li Wei"]
DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
START = 1735660800  # 2025-01-01 00:00 +08:00
SPAN = 365 * 86400
SHOP = "shop@example.com"


class Gen:
    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.seed = seed

    def below(self, n):
        return int(self.rng.random() * n)

    def pick(self, seq):
        return seq[self.below(len(seq))]

    def chance(self, permille):
        return self.below(1000) < permille


def civil(epoch):
    """(year, month, day, hour, minute, second, weekday) of an epoch in +08:00."""
    t = epoch + 8 * 3600
    days, secs = divmod(t, 86400)
    weekday = (days + 3) % 7  # 1970-01-01 was a Thursday (Mon = 0)
    z = days + 719468
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    y = yoe + era * 400
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + 3 if mp < 10 else mp - 9
    if m <= 2:
        y += 1
    return y, m, d, secs // 3600, secs // 60 % 60, secs % 60, weekday


def rfc2822(epoch):
    y, m, d, hh, mm, ss, wd = civil(epoch)
    return f"{DAYS[wd]}, {d} {MONTHS[m - 1]} {y} {hh:02d}:{mm:02d}:{ss:02d} +0800"


def from_line_date(epoch):
    y, m, d, hh, mm, ss, wd = civil(epoch - 8 * 3600)  # the From line is in UTC
    return f"{DAYS[wd]} {MONTHS[m - 1]} {d:2d} {hh:02d}:{mm:02d}:{ss:02d} {y}"


def encoded_word(text, charset, g):
    """RFC 2047 encoded word (B or Q) of text, or the text itself when it is ASCII."""
    if text.isascii():
        return text
    raw = text.encode(charset)
    if g.chance(500):
        return f"=?{charset}?B?{base64.b64encode(raw).decode('ascii')}?="
    q = "".join(chr(b) if (chr(b).isalnum() and b < 128) else f"={b:02X}" for b in raw)
    return f"=?{charset}?Q?{q}?="


def wrap_b64(raw):
    s = base64.b64encode(raw).decode("ascii")
    return "\n".join(s[i:i + 76] for i in range(0, len(s), 76)) + "\n"


def encode_body(text, charset, cte):
    raw = text.encode(charset)
    if cte == "base64":
        return wrap_b64(raw)
    if cte == "quoted-printable":
        return quopri.encodestring(raw).decode("ascii")
    return text if charset == "utf-8" else raw.decode("latin-1")  # bytes kept as they are


def html_of(text):
    esc = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    paras = "".join(f"<p>{line}</p>\n" for line in esc.split("\n") if line)
    return ("<html><head><style>p { margin: 0 }</style></head><body>\n"
            f"<div class=\"mail\">\n{paras}</div></body></html>\n")


def main():
    ap = argparse.ArgumentParser(description="synthetic buyer mail for kefu's benchmark")
    ap.add_argument("--messages", type=int, required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--mbox")
    ap.add_argument("--maildir")
    ap.add_argument("--stats")
    a = ap.parse_args()
    if a.messages < 1 or not (a.mbox or a.maildir):
        ap.error("give --messages N (N ≥ 1) and --mbox FILE and/or --maildir DIR")

    g = Gen(a.seed)
    mbox = open(a.mbox, "wb") if a.mbox else None
    if a.maildir:
        for sub in ("cur", "new", "tmp"):
            os.makedirs(os.path.join(a.maildir, sub), exist_ok=True)
    stats = dict(messages=0, bytes=0, base64=0, quoted_printable=0, plain=0, gb=0,
                 multipart=0, replies=0, chinese=0)
    recent = []  # (message id, subject, body text, sender name, date) of recent messages
    buyers = 4000
    step = SPAN // a.messages
    for i in range(a.messages):
        epoch = START + i * step + g.below(max(step, 1))
        zh = g.chance(600)
        buyer = g.below(buyers)
        name = ZH_NAMES[buyer % len(ZH_NAMES)] if zh else EN_NAMES[buyer % len(EN_NAMES)]
        addr = f"buyer{buyer:04d}@{'qq.com' if zh else 'mail.example.net'}"
        charset = "utf-8"
        if zh and g.chance(250):
            charset = "gb2312" if g.chance(500) else "gbk"
            stats["gb"] += 1
        cte_draw = g.below(3)
        cte = ("base64", "quoted-printable", "8bit")[cte_draw]
        if cte == "8bit" and not zh:
            cte = "7bit"
        stats[("base64", "quoted_printable", "plain")[cte_draw]] += 1

        topic_subject, topic_lines = g.pick(ZH_TOPICS if zh else EN_TOPICS)
        filler = ZH_FILLER if zh else EN_FILLER
        lines = []
        for _ in range(1 + g.below(4)):
            parts = [g.pick(filler), g.pick(topic_lines)]
            if g.chance(300):
                parts.append(g.pick(filler))
            lines.append(("" if zh else " ").join(parts))
        if g.chance(250):
            order = 100000000 + g.below(900000000)
            lines.append(f"订单号：{order}" if zh else f"Order #{order}")
        if g.chance(10):  # a few long ones
            lines.extend(g.pick(topic_lines) for _ in range(40))
        lines.append(name if zh else f"Best regards,\n{name}")
        body = "\n".join(lines) + "\n"
        subject = topic_subject

        headers = []
        msgid = f"<{i + 1}.{a.seed}@bench.kefu.example>"
        if recent and g.chance(200):
            old_id, old_subject, old_body, old_name, old_date = g.pick(recent)
            subject = old_subject if old_subject.startswith("Re: ") else "Re: " + old_subject
            attribution = (f"在 {old_date}，{old_name} 写道：" if zh
                           else f"On {old_date}, {old_name} wrote:")
            quoted = "\n".join("> " + line if line else ">" for line in old_body.split("\n")[:-1])
            body = body + "\n" + attribution + "\n" + quoted + "\n"
            headers.append(f"In-Reply-To: {old_id}")
            headers.append(f"References: {old_id}")
            stats["replies"] += 1
        try:
            subject.encode(charset)
            body.encode(charset)
        except UnicodeEncodeError:
            charset = "gbk" if charset == "gb2312" else "utf-8"
        date = rfc2822(epoch)
        recent.append((msgid, subject, body, name, date))
        if len(recent) > 500:
            recent.pop(0)

        head = [f"From: {encoded_word(name, charset if zh else 'utf-8', g)} <{addr}>",
                f"To: {SHOP}",
                f"Subject: {encoded_word(subject, charset, g)}",
                f"Date: {date}",
                f"Message-ID: {msgid}"] + headers + ["MIME-Version: 1.0"]
        if g.chance(150):
            stats["multipart"] += 1
            boundary = f"=_kefubench_{i + 1}"
            head.append(f"Content-Type: multipart/alternative; boundary=\"{boundary}\"")
            text = ("This is a multi-part message in MIME format.\n\n"
                    f"--{boundary}\n"
                    f"Content-Type: text/plain; charset={charset}\n"
                    f"Content-Transfer-Encoding: {cte}\n\n"
                    f"{encode_body(body, charset, cte)}\n"
                    f"--{boundary}\n"
                    f"Content-Type: text/html; charset={charset}\n"
                    f"Content-Transfer-Encoding: {cte}\n\n"
                    f"{encode_body(html_of(body), charset, cte)}\n"
                    f"--{boundary}--\n")
        else:
            head.append(f"Content-Type: text/plain; charset={charset}")
            head.append(f"Content-Transfer-Encoding: {cte}")
            text = encode_body(body, charset, cte)
        if not text.endswith("\n"):
            text += "\n"
        # latin-1 keeps the bytes of an 8bit gb2312/gbk body as they are; UTF-8 text is ASCII
        # in the headers and UTF-8 in an 8bit body.
        message = ("\n".join(head) + "\n\n").encode("ascii") + (
            text.encode("utf-8") if charset == "utf-8" else text.encode("latin-1"))
        stats["chinese"] += zh
        if mbox:
            escaped = []
            for line in message.split(b"\n"):
                stripped = line.lstrip(b">")
                escaped.append(b">" + line if stripped.startswith(b"From ") else line)
            data = (f"From {addr} {from_line_date(epoch)}\n".encode("ascii")
                    + b"\n".join(escaped) + b"\n")
            mbox.write(data)
            stats["bytes"] += len(data)
        if a.maildir:
            with open(os.path.join(a.maildir, "new", f"{i + 1:07d}.kefubench"), "wb") as f:
                f.write(message)
        stats["messages"] += 1
    if mbox:
        mbox.close()
    if a.stats:
        with open(a.stats, "w") as f:
            for k, v in stats.items():
                f.write(f"{k} {v}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
