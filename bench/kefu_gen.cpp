// kefu_gen: writes a synthetic buyer-inquiry CSV for the benchmark.
//
// Output format (the one of data/samples/inquiries.csv): UTF-8, no BOM, LF line ends, a header
//   id,received,channel,customer,contact,order_id,product,goods_kind,subject,message
// then one RFC 4180 record per inquiry. A field is quoted when it holds a comma, a quote or a
// line break, and quotes inside are doubled. Times come in the forms exports use (ISO 8601 with
// Z or an offset, "2025-03-04 09:16:06", "2025/3/4 9:16", "2025年3月4日 09:16", epoch seconds).
//
// The output depends only on --seed, --rows and --customers: the generator uses its own
// random number generator and no library distribution, locale or clock, so the same arguments
// give byte-identical files on every machine. Refund requests are one category among nine;
// every Chinese refund body contains 退款 and no other text does, so the number of rows that
// a search for 退款 must find is known and written to the --stats file.

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace {

using Words = std::vector<std::string_view>;

// xoshiro256** seeded through splitmix64: fast, and its sequence is fixed by its definition.
class Rng {
public:
    explicit Rng(uint64_t seed) {
        for (auto& s : m_state) {
            seed += 0x9e3779b97f4a7c15ULL;
            uint64_t z = seed;
            z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
            z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
            s = z ^ (z >> 31);
        }
    }
    uint64_t next() {
        uint64_t result = rotl(m_state[1] * 5, 7) * 9;
        uint64_t t = m_state[1] << 17;
        m_state[2] ^= m_state[0];
        m_state[3] ^= m_state[1];
        m_state[1] ^= m_state[2];
        m_state[0] ^= m_state[3];
        m_state[2] ^= t;
        m_state[3] = rotl(m_state[3], 45);
        return result;
    }
    // A number in [0, n); the modulo bias is far below anything the benchmark can notice.
    uint64_t below(uint64_t n) { return next() % n; }
    int64_t between(int64_t lo, int64_t hi) {
        return lo + static_cast<int64_t>(below(hi - lo + 1));
    }
    bool permille(int p) { return below(1000) < static_cast<uint64_t>(p); }
    std::string_view pick(const Words& w) { return w[below(w.size())]; }

private:
    static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
    uint64_t m_state[4]{};
};

enum class Lang { Zh, En };

// The categories of DESIGN.md's triage, with their share of rows in permille (sum 1000).
enum Category { Product, Order, Logistics, Payment, Refund, Account, Technical, Complaint, Other };
constexpr int k_category_count = 9;
constexpr int k_category_share[k_category_count] = {200, 120, 180, 70, 120, 50, 60, 80, 120};
constexpr std::string_view k_category_names[k_category_count] = {
    "product", "order",     "logistics", "payment", "refund",
    "account", "technical", "complaint", "other"};

// Phrase banks. Placeholders in braces are filled per row (see Generator::expand). Only the
// Chinese refund bank may contain 退款, and only the English refund bank may contain "refund".
const Words k_zh_core[k_category_count] = {
    {"这款{p}还有货吗？", "{p}是正品吗，有没有质检报告", "我身高{h}cm 体重{w}kg，穿什么码合适？",
     "这个颜色和图片上一样吗，会不会有色差", "能便宜点吗？{m}包邮行不行，诚心要",
     "请问{p}保修多久，坏了怎么处理", "这个是现货还是预售？多久能发货",
     "面料是纯棉的吗，洗了会不会缩水", "买两件能不能再优惠一点", "尺寸具体是多少？长宽高发一下",
     "和{p}比哪个好用一点"},
    {"刚拍了{p}，地址填错了，麻烦改成：{addr}", "订单号{o}，能帮我改一下收货电话吗",
     "我想再加一件一起发，能合并运费吗", "拍错颜色了，能帮我换成{color}吗，还没发货吧",
     "能开发票吗？抬头：{company}", "订单{o}一直显示待发货，什么时候发",
     "帮我备注一下，要送人的，别放价格单"},
    {"快递到哪了？{d}天了还没到", "物流{d}天没更新了，单号{t}，是不是丢件了",
     "显示已签收但是我没收到，家里一直有人", "能发顺丰吗？加钱也行",
     "什么时候发货啊，说好48小时内发的", "快递员打电话说包裹破损了，怎么办",
     "能不能发到菜鸟驿站，白天家里没人"},
    {"付款一直失败，提示银行卡限额", "花呗能分期吗？分{n}期有没有手续费",
     "我付了两次钱，扣了两遍，订单{o}", "优惠券用不了，结算的时候没减", "能不能先发货后付款",
     "为什么付完款还显示待付款"},
    {"申请退款{d}天了还没到账，订单号{o}", "东西不想要了，帮我退款吧，还没发货",
     "衣服尺码不合适，退货退款怎么操作", "收到的{p}是坏的，要求退款",
     "退款什么时候能处理？已经寄回去了，单号{t}", "仅退款可以吗？东西不值得寄回",
     "商家同意退款了但是钱一直没退回来", "拍多了一件，麻烦退款一件的钱{m}元"},
    {"账号登录不上了，一直提示密码错误", "会员积分怎么没了？之前有{n}00分",
     "换了手机号，账号怎么绑定新号码", "我的账号提示异常登录，被冻结了",
     "我就在家里电脑和公司电脑各登了一次，这也算异常？"},
    {"激活码输入后一直提示\"此产品密钥已被使用\"，试了三次都不行",
     "下载链接打不开，提示\"分享已取消\"", "{p}装好后一打开就闪退，系统是Win11",
     "网盘链接失效了，能重新发一个吗", "手表连不上手机蓝牙，重启了也不行",
     "充电充不进去，指示灯不亮"},
    {"客服一直不回消息，什么态度！", "质量太差了，穿了一次就开线，我要投诉",
     "今天不解决我就给差评，再投诉到平台", "发的货和图片完全不一样，骗子吧",
     "再不发货我就打12315投诉！！", "等了一个星期了，到底管不管？？？"},
    {"老板过年期间发货吗", "能加个微信吗，以后直接找你买", "上次买的很好用，再来回购",
     "你们实体店在哪里", "可以代发吗，我想做分销", "好评返现还有吗"},
};

const Words k_en_core[k_category_count] = {
    {"Is the {p} still available?", "Any chips or cracks? The photos are a bit dark.",
     "Would you take {m} for it? I can pay right away.",
     "Is it true to size? I'm usually a {size}.", "What are the exact dimensions?",
     "Do you ship to {country} and how much would that be?",
     "Is this the original or a reproduction?"},
    {"I just placed order {o} but used the wrong address, could you change it to {addr}?",
     "Could you engrave \"{engr}\" on the back instead of the front?",
     "Can I add a second one to the same order and combine shipping?",
     "Could you send me an invoice for order {o}?",
     "Please mark it as a gift, no receipt in the box."},
    {"My tracking number {t} hasn't updated in {d} days.",
     "It says delivered but there's nothing at my door.",
     "When will this ship? It's a gift for {date}.",
     "The box arrived crushed and one of the pieces is chipped.",
     "Can you upgrade to express shipping? Happy to pay the difference."},
    {"My card was charged twice for order {o}.",
     "PayPal keeps declining the payment, is there another way to pay?",
     "The coupon code didn't apply at checkout.", "Do you accept Apple Pay?"},
    {"I'd like a refund for order {o}, the item never arrived.",
     "I returned the item {d} days ago and still haven't received my refund.",
     "The {p} arrived broken, can I get a full refund?",
     "You agreed to a partial refund of {m} but I haven't seen it yet.",
     "Please cancel and refund, I ordered by mistake."},
    {"I can't log in to my account, the reset email never arrives.",
     "Please update the email on my account, I no longer use the old one.",
     "My account was locked after I tried to log in from a new laptop."},
    {"The download link says \"This link has expired\". Could you send me a new one?",
     "The presets won't import into Lightroom, I get an error.", "The PDF opens blank on my iPad."},
    {"This is ridiculous, I've messaged three times with no answer!!!",
     "If I don't get a real update by end of day I'm opening a case and filing a chargeback.",
     "Item is not as described at all. This is a scam.",
     "Very disappointed with the quality, I'll leave honest feedback."},
    {"Do you do custom orders?", "Will you be restocking the {p}?",
     "Thanks for the quick shipping last time, ordering again!",
     "Are you open during the holidays?"},
};

const Words k_zh_detail = {"我是{n}号下的单",
                           "地址是{addr}",
                           "着急用，下周三之前一定要到",
                           "之前在你家买过好几次了，一直挺满意的",
                           "截图我发不了，就文字说一下",
                           "麻烦看一下聊天记录，前面问过了",
                           "孩子生日要用的",
                           "方便的话打我电话{phone}",
                           "上次客服说会跟进，但是一直没消息",
                           "我不太会用手机操作，麻烦说详细一点",
                           "双十一前买的就是想十一号用",
                           "我朋友也想买，能一起便宜点吗"};
const Words k_en_detail = {"It's a gift for my parents' anniversary on {date}.",
                           "I'm in {city}, if that matters.",
                           "I've bought from you before and have always been happy.",
                           "Order number is {o} in case you need it.",
                           "Sorry for all the questions!",
                           "My phone number is {phone} if it's easier to call.",
                           "I've attached a photo, hope it comes through."};
const Words k_zh_greeting = {"在吗", "亲",   "你好",  "老板在吗", "在不在",
                             "您好", "亲亲", "hello", "掌柜的"};
const Words k_zh_closer = {"谢谢",   "麻烦尽快回复", "谢谢亲",   "急！",      "在线等",
                           "辛苦了", "谢谢老板😊",    "麻烦看下", "收到请回复"};
const Words k_en_greeting = {"Hi!", "Hello,", "Hi there,", "Good morning,", "Hey,"};
const Words k_en_closer = {"Thanks!", "Thank you.",     "Thanks in advance",
                           "Cheers",  "Best,\n{first}", "Regards,\n{first} {last}"};
const Words k_en_subject[k_category_count] = {
    {"Question about item #{n12}", "Is this still available?"},
    {"Change of address", "Invoice request"},
    {"Where is my order?", "Tracking not updating"},
    {"Payment issue", "Charged twice"},
    {"Refund request", "Refund not received"},
    {"Can't log in to your site"},
    {"Download link expired"},
    {"Very unhappy", "Complaint"},
    {"Custom order?", "Hello"}};
const Words k_zh_subject = {"咨询一下", "订单问题", "发货时间", "激活码无效", "售后"};

struct Item {
    std::string_view name;
    std::string_view kind;
};
const std::vector<Item> k_zh_products = {{"法式复古碎花连衣裙 收腰显瘦", "physical"},
                                         {"儿童电话手表 4G全网通 视频通话", "physical"},
                                         {"手工粗陶马克杯 350ml", "physical"},
                                         {"富士 X100V 银色 二手 95新", "physical"},
                                         {"无线蓝牙耳机 降噪版", "physical"},
                                         {"加厚珊瑚绒四件套 1.8m床", "physical"},
                                         {"有机红茶 250g 礼盒装", "physical"},
                                         {"不锈钢保温杯 500ml", "physical"},
                                         {"宠物自动喂食器 4L", "physical"},
                                         {"儿童益智积木 120粒", "physical"},
                                         {"男士纯棉短袖T恤 3件装", "physical"},
                                         {"机械键盘 青轴 87键", "physical"},
                                         {"Office 2021 专业增强版 激活码", "virtual"},
                                         {"考研英语 网课 全程班", "virtual"},
                                         {"PS 调色预设 合集", "virtual"},
                                         {"设计素材 模板 下载", "virtual"}};
const std::vector<Item> k_en_products = {
    {"Personalized Walnut Cutting Board, Custom Engraved", "physical"},
    {"Vintage Pyrex Primary Colors Mixing Bowl Set (4)", "physical"},
    {"Camel wool blend coat, size S", "physical"},
    {"Handmade Sterling Silver Ring, Size 7", "physical"},
    {"Nintendo Switch OLED, white, lightly used", "physical"},
    {"Leather Crossbody Bag - Tan", "physical"},
    {"Knitted Baby Blanket, 30\" x 40\"", "physical"},
    {"Mid-century teak side table", "physical"},
    {"Moody Film Lightroom Presets (digital download)", "virtual"},
    {"Printable Wedding Planner PDF", "virtual"},
    {"Crochet pattern: Amigurumi Fox (PDF)", "virtual"}};

const Words k_zh_nick_a = {"小鹿",   "阿珍", "夜猫子", "开心果", "橘子", "大白",  "糖糖",
                           "木子",   "晴天", "豆豆",   "老王",   "小胖", "奶茶",  "柠檬",
                           "喵星人", "土豆", "阳光",   "微笑",   "风铃", "一只鱼"};
const Words k_zh_nick_b = {"爱购物", "不吃香菜", "的小屋", "酱", "同学", "妈妈", "宝贝",
                           "呀",     "在路上",   "很忙",   "家", "2018", ""};
const Words k_zh_surname = {"张", "王", "李", "赵", "刘", "陈", "杨", "黄", "周", "吴",
                            "徐", "孙", "马", "朱", "胡", "郭", "何", "林", "高", "罗"};
const Words k_zh_given = {"伟", "芳", "娜", "敏", "静",   "磊", "洋", "勇", "艳",   "杰",
                          "娟", "涛", "明", "超", "秀英", "霞", "平", "刚", "桂英", "丽"};
const Words k_latin_word = {"yezi",  "zhaolei", "chenjing", "xiaolu", "mumu",  "tangtang",
                            "lemon", "sunny",   "dabai",    "doudou", "kitty", "panda"};
const Words k_en_first = {"Michael", "Sarah", "Olivia", "Emma",  "Tom",   "David", "Jessica",
                          "James",   "Emily", "Daniel", "Laura", "Chris", "Anna",  "Mark",
                          "Sophie",  "Lucas", "Chloe",  "Ryan",  "Grace", "Ben"};
const Words k_en_last = {"Brown",  "Johnson", "Martin", "Wilson", "Nguyen", "Miller",
                         "Smith",  "Garcia",  "Davis",  "Taylor", "Clark",  "Lewis",
                         "Walker", "Young",   "King",   "Wright"};
const Words k_zh_mail = {"qq.com", "163.com", "126.com", "foxmail.com", "sina.com"};
const Words k_en_mail = {"gmail.com", "yahoo.com", "outlook.com", "hotmail.co.uk", "icloud.com"};
const Words k_zh_channels = {"taobao", "pinduoduo", "xianyu", "wechat", "email"};
const Words k_en_channels = {"ebay", "etsy", "vinted", "email"};
const Words k_province = {"浙江省杭州市西湖区", "广东省深圳市南山区", "江苏省南京市鼓楼区",
                          "北京市朝阳区",       "上海市浦东新区",     "四川省成都市武侯区",
                          "湖北省武汉市洪山区"};
const Words k_street = {"文三路", "科技园南路", "中山北路", "建国路",
                        "张杨路", "人民南路",   "珞喻路"};
const Words k_color = {"米白色", "雾霾蓝", "黑色", "焦糖色", "豆沙粉"};
const Words k_company = {"杭州云杉信息技术有限公司", "深圳市晨光贸易有限公司",
                         "南京青禾文化传媒有限公司"};
const Words k_city = {"Toronto", "Manchester", "Austin", "Melbourne", "Dublin", "Seattle"};
const Words k_country = {"Canada", "Australia", "Germany", "the UK", "Ireland"};
const Words k_size = {"UK 8", "US 6", "medium", "size 10", "small"};
const Words k_engr = {"The Browns, est. 2019", "Happy 10th, love J", "Smith Family Kitchen"};
const Words k_month = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
const Words k_zone = {"Z", "+00:00", "-05:00", "-08:00", "+01:00", "-04:00"};

struct Customer {
    Lang lang = Lang::Zh;
    std::string name;
    std::string contact;
    std::string_view channel;
    std::string first;
    std::string last;
    std::string order;  // The order this buyer last wrote about, reused by follow-ups.
    // A buyer known by phone or mail sometimes writes on another channel too; one known
    // only by a marketplace handle stays on that marketplace.
    bool portable = false;
};

struct Stats {
    uint64_t rows = 0;
    uint64_t bytes = 0;  // Of the rows, header included.
    uint64_t zh_rows = 0;
    uint64_t en_rows = 0;
    uint64_t long_rows = 0;
    uint64_t multiline_rows = 0;
    uint64_t quoted_quote_rows = 0;
    uint64_t rows_with_tuikuan = 0;
    uint64_t rows_with_refund = 0;
    uint64_t categories[k_category_count] = {};
    std::vector<bool> customers_seen;
};

class Generator {
public:
    Generator(uint64_t seed, uint64_t rows, size_t customers) : m_rng(seed), m_rows(rows) {
        m_customers.reserve(customers);
        for (size_t i = 0; i < customers; ++i) {
            m_customers.push_back(make_customer(i));
        }
        m_stats.customers_seen.assign(customers, false);
    }

    // Writes the header and every row to out; returns false on a write error.
    bool write(std::FILE* out) {
        m_out = out;
        m_buf.reserve(k_flush_at + 65536);
        m_buf += k_header;
        m_stats.bytes += k_header.size();
        for (uint64_t row = 0; row < m_rows; ++row) {
            write_row(row);
            if (m_buf.size() >= k_flush_at && !flush()) {
                return false;
            }
        }
        return flush();
    }

    const Stats& stats() const { return m_stats; }

private:
    static constexpr size_t k_flush_at = size_t{1} << 20;
    static constexpr std::string_view k_header =
        "id,received,channel,customer,contact,order_id,product,goods_kind,subject,message\n";

    Customer make_customer(size_t i) {
        Customer c;
        c.lang = m_rng.permille(720) ? Lang::Zh : Lang::En;
        int kind = static_cast<int>(m_rng.below(100));
        if (c.lang == Lang::Zh) {
            c.channel = m_rng.pick(k_zh_channels);
            bool nick = m_rng.permille(600);
            std::string base =
                nick ? std::string(m_rng.pick(k_zh_nick_a)) + std::string(m_rng.pick(k_zh_nick_b))
                     : std::string(m_rng.pick(k_zh_surname)) + std::string(m_rng.pick(k_zh_given));
            c.name = base;
            for (int k = 2; !m_names.insert(c.name).second; ++k) {
                c.name = base + std::to_string(k);
            }
            if (kind < 40) {
                // Distinct for distinct i: 48271 is prime to 10^8.
                static const Words k_prefix = {"138", "139", "150", "158", "186", "177", "135"};
                c.contact = std::string(m_rng.pick(k_prefix)) + pad(i * 48271 % 100000000, 8);
            } else if (kind < 85) {
                static const Words k_handle = {"tb_", "pdd_", "wxid_", ""};
                std::string_view pre = m_rng.pick(k_handle);
                c.contact = pre.empty() ? c.name
                                        : std::string(pre) + std::string(m_rng.pick(k_latin_word)) +
                                              std::to_string(i);
            } else {
                c.contact = std::string(m_rng.pick(k_latin_word)) + std::to_string(i) + "@" +
                            std::string(m_rng.pick(k_zh_mail));
            }
        } else {
            c.channel = m_rng.pick(k_en_channels);
            c.first = m_rng.pick(k_en_first);
            c.last = m_rng.pick(k_en_last);
            c.name = c.first + " " + c.last;
            for (int k = 0; !m_names.insert(c.name).second; ++k) {
                std::string initial(1, static_cast<char>('A' + k % 26));
                c.name =
                    c.first + " " + initial + ". " + c.last + (k < 26 ? "" : std::to_string(k));
            }
            std::string lower = lowercase(c.first) + "." + lowercase(c.last);
            if (kind < 55) {
                c.contact = lower + std::to_string(i) + "@" + std::string(m_rng.pick(k_en_mail));
            } else {
                c.contact =
                    lowercase(c.first) + "_" + lowercase(c.last.substr(0, 1)) + std::to_string(i);
            }
        }
        c.portable = c.contact.find('@') != std::string::npos ||
                     (c.contact.size() == 11 && c.contact[0] == '1' &&
                      c.contact.find_first_not_of("0123456789") == std::string::npos);
        return c;
    }

    static std::string lowercase(std::string s) {
        for (char& ch : s) {
            if (ch >= 'A' && ch <= 'Z') {
                ch = static_cast<char>(ch - 'A' + 'a');
            }
        }
        return s;
    }

    static std::string pad(uint64_t v, int width) {
        std::string s = std::to_string(v);
        return std::string(s.size() < static_cast<size_t>(width) ? width - s.size() : 0, '0') + s;
    }

    std::string digits(int n) {
        std::string s(static_cast<size_t>(n), '0');
        s[0] = static_cast<char>('1' + m_rng.below(9));
        for (int k = 1; k < n; ++k) {
            s[static_cast<size_t>(k)] = static_cast<char>('0' + m_rng.below(10));
        }
        return s;
    }

    std::string order_id(std::string_view channel) {
        if (channel == "taobao" || channel == "xianyu") {
            return digits(19);
        }
        if (channel == "pinduoduo") {
            return "2" + pad(m_rng.between(50101, 51228), 5) + "-" + digits(15);
        }
        if (channel == "ebay") {
            return pad(m_rng.below(100), 2) + "-" + digits(5) + "-" + digits(5);
        }
        if (channel == "etsy" || channel == "vinted") {
            return digits(10);
        }
        return m_rng.permille(500) ? digits(5) : digits(16);
    }

    std::string address(Lang lang) {
        if (lang == Lang::Zh) {
            return std::string(m_rng.pick(k_province)) + std::string(m_rng.pick(k_street)) +
                   std::to_string(m_rng.between(1, 999)) + "号" +
                   std::to_string(m_rng.between(1, 30)) + "栋" +
                   std::to_string(m_rng.between(101, 2808));
        }
        return std::to_string(m_rng.between(1, 9999)) + " " + std::string(m_rng.pick(k_en_last)) +
               " St, " + std::string(m_rng.pick(k_city));
    }

    // Replaces each {name} of a phrase by a value drawn for this row.
    std::string expand(std::string_view phrase, Lang lang, const Customer& c,
                       std::string_view product, const std::string& order) {
        std::string out;
        out.reserve(phrase.size() + 32);
        for (size_t i = 0; i < phrase.size(); ++i) {
            size_t close = phrase[i] == '{' ? phrase.find('}', i) : std::string_view::npos;
            if (close == std::string_view::npos) {
                out += phrase[i];
                continue;
            }
            std::string_view key = phrase.substr(i + 1, close - i - 1);
            i = close;
            if (key == "p") {
                out += product;
            } else if (key == "o") {
                out += order.empty() ? order_id(c.channel) : order;
            } else if (key == "t") {
                out += (lang == Lang::Zh ? "SF" : "1Z") + digits(12);
            } else if (key == "d") {
                out += std::to_string(m_rng.between(2, 15));
            } else if (key == "n") {
                out += std::to_string(m_rng.between(2, 28));
            } else if (key == "n12") {
                out += digits(12);
            } else if (key == "m") {
                out += (lang == Lang::Zh ? "" : "$") + std::to_string(m_rng.between(5, 3000));
            } else if (key == "h") {
                out += std::to_string(m_rng.between(150, 190));
            } else if (key == "w") {
                out += std::to_string(m_rng.between(40, 90));
            } else if (key == "addr") {
                out += address(lang);
            } else if (key == "phone") {
                out += lang == Lang::Zh ? "13" + digits(9)
                                        : "+1 " + digits(3) + "-" + digits(3) + "-" + digits(4);
            } else if (key == "date") {
                out +=
                    std::string(m_rng.pick(k_month)) + " " + std::to_string(m_rng.between(1, 28));
            } else if (key == "first") {
                out += c.first;
            } else if (key == "last") {
                out += c.last;
            } else {
                static const std::map<std::string_view, const Words*> k_lists = {
                    {"color", &k_color},     {"company", &k_company}, {"city", &k_city},
                    {"country", &k_country}, {"size", &k_size},       {"engr", &k_engr}};
                auto it = k_lists.find(key);
                out += it != k_lists.end() ? m_rng.pick(*it->second) : key;
            }
        }
        return out;
    }

    // Appends sentence to body with a separator: a line break, or the language's own punctuation.
    void join(std::string& body, const std::string& sentence, Lang lang) {
        if (body.empty()) {
            body = sentence;
            return;
        }
        if (m_rng.permille(220)) {
            body += '\n';
        } else if (lang == Lang::Zh) {
            char last = body.back();
            bool ends_mark = body.ends_with("？") || body.ends_with("！") || body.ends_with("。") ||
                             last == '!' || last == '?';
            body += ends_mark ? "" : (m_rng.permille(300) ? "。" : "，");
        } else {
            body += ' ';
        }
        body += sentence;
    }

    // A pasted order summary or quoted earlier mail: what makes the few long messages long.
    std::string long_block(Lang lang, const Customer& c, std::string_view product,
                           const std::string& order) {
        std::string block;
        int64_t target = m_rng.permille(800) ? m_rng.between(300, 800) : m_rng.between(800, 3000);
        while (static_cast<int64_t>(block.size()) < target) {
            if (lang == Lang::Zh) {
                block += "\n订单号：" + (order.empty() ? order_id(c.channel) : order) + "\n商品：" +
                         std::string(product) + " ×" + std::to_string(m_rng.between(1, 5)) +
                         "\n实付：" + std::to_string(m_rng.between(9, 2999)) + ".00元\n收货地址：" +
                         address(lang) + "\n";
                block += "买家：" + expand(m_rng.pick(k_zh_detail), lang, c, product, order) +
                         "\n卖家：亲，" + expand(m_rng.pick(k_zh_detail), lang, c, product, order);
            } else {
                block += "\n\nOn " + expand("{date}", lang, c, product, order) +
                         ", the shop wrote:\n> " +
                         expand(m_rng.pick(k_en_detail), lang, c, product, order) + "\n> " +
                         expand(m_rng.pick(k_en_core[Other]), lang, c, product, order) + "\n";
            }
        }
        return block;
    }

    // count different indices below n, in the order drawn (fewer when n is smaller).
    std::vector<size_t> distinct(size_t n, size_t count) {
        std::vector<size_t> out;
        while (out.size() < count && out.size() < n) {
            size_t k = m_rng.below(n);
            if (std::find(out.begin(), out.end(), k) == out.end()) {
                out.push_back(k);
            }
        }
        return out;
    }

    Category pick_category() {
        int r = static_cast<int>(m_rng.below(1000));
        for (int k = 0; k < k_category_count; ++k) {
            r -= k_category_share[k];
            if (r < 0) {
                return static_cast<Category>(k);
            }
        }
        return Other;
    }

    // The received time in one of the forms exports use; naive forms are local time.
    std::string received(int64_t epoch, Lang lang) {
        int form = static_cast<int>(m_rng.below(100));
        if (form < 4) {
            return std::to_string(epoch);
        }
        int offset = 8 * 3600;
        std::string_view zone = "+08:00";
        if (lang == Lang::En) {
            zone = m_rng.pick(k_zone);
            offset = zone == "Z" ? 0
                                 : ((zone[0] == '-') ? -1 : 1) *
                                       ((zone[1] - '0') * 10 + (zone[2] - '0')) * 3600;
        }
        int64_t local = epoch + offset;
        auto days =
            std::chrono::sys_days{std::chrono::days{(local >= 0 ? local : local - 86399) / 86400}};
        std::chrono::year_month_day ymd{days};
        int64_t secs = local - static_cast<int64_t>(days.time_since_epoch().count()) * 86400;
        std::string y = std::to_string(static_cast<int>(ymd.year()));
        unsigned mo = static_cast<unsigned>(ymd.month());
        unsigned d = static_cast<unsigned>(ymd.day());
        std::string hh = pad(static_cast<uint64_t>(secs / 3600), 2);
        std::string mi = pad(static_cast<uint64_t>(secs / 60 % 60), 2);
        std::string ss = pad(static_cast<uint64_t>(secs % 60), 2);
        std::string date = y + "-" + pad(mo, 2) + "-" + pad(d, 2);
        if (form < 30) {
            return date + "T" + hh + ":" + mi + ":" + ss + std::string(zone);
        }
        if (form < 65) {
            return date + " " + hh + ":" + mi + ":" + ss;
        }
        if (form < 92) {
            return y + "/" + std::to_string(mo) + "/" + std::to_string(d) + " " +
                   std::to_string(secs / 3600) + ":" + mi;
        }
        return y + "年" + std::to_string(mo) + "月" + std::to_string(d) + "日 " + hh + ":" + mi;
    }

    void field(std::string_view f, bool last = false) {
        bool quote = f.find_first_of(",\"\n\r") != std::string_view::npos;
        if (quote) {
            m_buf += '"';
            for (char ch : f) {
                if (ch == '"') {
                    m_buf += '"';
                }
                m_buf += ch;
            }
            m_buf += '"';
        } else {
            m_buf += f;
        }
        m_buf += last ? '\n' : ',';
    }

    void write_row(uint64_t row) {
        // A third of the rows come from the 2,000 most active buyers, the rest from anyone.
        size_t n = m_customers.size();
        size_t ci = m_rng.permille(300) ? m_rng.below(n < 2000 ? n : 2000) : m_rng.below(n);
        Customer& c = m_customers[ci];
        Lang lang = c.lang;
        std::string_view channel =
            !c.portable || m_rng.permille(800)
                ? c.channel
                : m_rng.pick(lang == Lang::Zh ? k_zh_channels : k_en_channels);
        const auto& products = lang == Lang::Zh ? k_zh_products : k_en_products;
        const Item& product = products[m_rng.below(products.size())];
        Category cat = pick_category();

        std::string order;
        bool has_order = cat == Order || cat == Logistics || cat == Payment || cat == Refund
                             ? m_rng.permille(800)
                             : m_rng.permille(250);
        if (has_order) {
            if (c.order.empty() || m_rng.permille(400)) {
                c.order = order_id(channel);
            }
            order = c.order;
        }

        std::string body;
        const Words& core = lang == Lang::Zh ? k_zh_core[cat] : k_en_core[cat];
        if (m_rng.permille(lang == Lang::Zh ? 450 : 700)) {
            join(body, std::string(m_rng.pick(lang == Lang::Zh ? k_zh_greeting : k_en_greeting)),
                 lang);
        }
        // Chinese chat messages are short (one or two clauses), English ones a little longer.
        bool zh = lang == Lang::Zh;
        size_t sentences = m_rng.permille(zh ? 620 : 450) ? 1 : (m_rng.permille(750) ? 2 : 3);
        for (size_t k : distinct(core.size(), sentences)) {
            join(body, expand(core[k], lang, c, product.name, order), lang);
        }
        const Words& detail = zh ? k_zh_detail : k_en_detail;
        size_t details = m_rng.permille(zh ? 250 : 300) ? (m_rng.permille(850) ? 1 : 2) : 0;
        for (size_t k : distinct(detail.size(), details)) {
            join(body, expand(detail[k], lang, c, product.name, order), lang);
        }
        bool is_long = m_rng.permille(12);
        if (is_long) {
            body += long_block(lang, c, product.name, order);
        }
        if (m_rng.permille(350)) {
            join(body,
                 expand(m_rng.pick(lang == Lang::Zh ? k_zh_closer : k_en_closer), lang, c,
                        product.name, order),
                 lang);
        }

        std::string subject;
        if (lang == Lang::En && channel != "vinted" && m_rng.permille(700)) {
            subject = expand(m_rng.pick(k_en_subject[cat]), lang, c, product.name, order);
            if (m_rng.permille(200)) {
                subject = "Re: " + subject;
            }
        } else if (lang == Lang::Zh && channel == "email") {
            subject = std::string(m_rng.pick(k_zh_subject));
        }

        // Rows are spread over 2025 in order, a little jitter apart.
        constexpr int64_t k_start = 1735689600;  // 2025-01-01T00:00:00Z
        constexpr int64_t k_span = 365 * 86400;
        int64_t step = k_span / static_cast<int64_t>(m_rows == 0 ? 1 : m_rows);
        int64_t epoch =
            k_start + static_cast<int64_t>(row) * step + m_rng.between(0, step > 1 ? step - 1 : 0);

        std::string_view kind = m_rng.permille(880) ? product.kind : std::string_view{};
        size_t before = m_buf.size();
        field("G" + pad(row + 1, 7));
        field(received(epoch, lang));
        field(channel);
        field(c.name);
        field(c.contact);
        field(order);
        field(product.name);
        field(kind);
        field(subject);
        field(body, true);

        m_stats.rows++;
        m_stats.bytes += m_buf.size() - before;
        (lang == Lang::Zh ? m_stats.zh_rows : m_stats.en_rows)++;
        m_stats.long_rows += is_long ? 1 : 0;
        m_stats.multiline_rows += body.find('\n') != std::string::npos ? 1 : 0;
        // Empty fields are never quoted, so "" in a record is always a doubled quote.
        bool doubled = std::string_view(m_buf).substr(before).find("\"\"") != std::string::npos;
        m_stats.quoted_quote_rows += doubled ? 1 : 0;
        m_stats.rows_with_tuikuan += (subject + body).find("退款") != std::string::npos ? 1 : 0;
        m_stats.rows_with_refund +=
            lowercase(subject + body).find("refund") != std::string::npos ? 1 : 0;
        m_stats.categories[cat]++;
        m_stats.customers_seen[ci] = true;
    }

    bool flush() {
        bool ok = std::fwrite(m_buf.data(), 1, m_buf.size(), m_out) == m_buf.size();
        m_buf.clear();
        return ok;
    }

    Rng m_rng;
    uint64_t m_rows;
    std::vector<Customer> m_customers;
    // Marketplace nicknames are unique on their platform, and kefu takes the customer column
    // of a CSV as such a handle: every generated buyer gets a name of its own.
    std::set<std::string> m_names;
    Stats m_stats;
    std::string m_buf;
    std::FILE* m_out = nullptr;
};

// ---- --templates N --out DIR: a reply library of N templates for `kefu suggest` ----------
//
// Writes DIR/bench-01.toml, bench-02.toml … (50 templates per file) in kefu's template format
// (see templates/general.toml): ids bench-0001 …, the categories in turn, keywords and bodies
// in Chinese and English made from the phrase banks above (their {…} fields taken out, so
// that every placeholder is one kefu knows), some with a follow-up. Like the CSV, the output
// depends only on --seed and N.

// A phrase without its {field} parts, and without the characters a TOML string would need
// escaped.
std::string plain(std::string_view phrase) {
    std::string out;
    bool in_field = false;
    for (char c : phrase) {
        if (c == '{') {
            in_field = true;
        } else if (c == '}') {
            in_field = false;
        } else if (!in_field && c != '"' && c != '\\' && c != '\'') {
            out += c;
        }
    }
    return out;
}

// At most `bytes` bytes of `s`, cut at the start of a UTF-8 character.
std::string prefix(const std::string& s, size_t bytes) {
    if (s.size() <= bytes) {
        return s;
    }
    while (bytes > 0 && (static_cast<unsigned char>(s[bytes]) & 0xC0) == 0x80) {
        --bytes;
    }
    return s.substr(0, bytes);
}

const Words k_template_tags = {"delay", "angry", "urgent", "vip", "refund", "tracking", "gift"};

bool write_templates(const std::string& dir, uint64_t count, uint64_t seed) {
    Rng rng(seed);
    constexpr uint64_t k_per_file = 50;
    for (uint64_t file = 0; file * k_per_file < count; ++file) {
        char name[64];
        std::snprintf(name, sizeof name, "/bench-%02llu.toml",
                      static_cast<unsigned long long>(file + 1));
        std::string path = dir + name;
        std::FILE* f = std::fopen(path.c_str(), "wb");
        if (f == nullptr) {
            std::fprintf(stderr, "kefu_gen: cannot write %s: %s\n", path.c_str(),
                         std::strerror(errno));
            return false;
        }
        std::string text = "# Generated by kefu_gen --templates for the benchmark.\n";
        for (uint64_t i = file * k_per_file; i < std::min(count, (file + 1) * k_per_file); ++i) {
            int cat = static_cast<int>(i % k_category_count);
            const Words& zh = k_zh_core[cat];
            const Words& en = k_en_core[cat];
            char id[32];
            std::snprintf(id, sizeof id, "bench-%04llu", static_cast<unsigned long long>(i + 1));
            text += "\n[[template]]\n";
            text += std::string("id = \"") + id + "\"\n";
            text += "title = \"" + prefix(plain(rng.pick(zh)), 24) + " / " +
                    prefix(plain(rng.pick(en)), 30) + "\"\n";
            text += "category = \"" + std::string(k_category_names[cat]) + "\"\n";
            text += "tags = [\"" + std::string(rng.pick(k_template_tags)) + "\"]\n";
            text += "keywords = [";
            for (int k = 0; k < 4; ++k) {
                std::string kw = plain(k % 2 == 0 ? rng.pick(zh) : rng.pick(en));
                // A keyword is a short phrase: the first clause of the sentence.
                size_t cut = kw.size();
                for (std::string_view sep : {"，", ",", "？", "?", "！", "!"}) {
                    cut = std::min(cut, kw.find(sep));
                }
                kw = kw.substr(0, cut);
                if (kw.empty()) {
                    kw = plain(k % 2 == 0 ? zh.front() : en.front());
                }
                text += (k == 0 ? "\"" : ", \"") + kw + "\"";
            }
            text += "]\n";
            if (rng.permille(400)) {
                text += "followup = \"" + std::to_string(rng.between(1, 3)) + "d\"\n";
            }
            text += "[template.body]\nzh = \"\"\"\n{salutation|亲}，您好！";
            for (int k = 0; k < 3; ++k) {
                text += "关于“" + plain(rng.pick(zh)) + "”：我们会在今天内处理并回复您。";
            }
            text += "\n{signature|}\n\"\"\"\nen = \"\"\"\nHi {customer|there},\n";
            for (int k = 0; k < 3; ++k) {
                text += "About \"" + plain(rng.pick(en)) + "\": we will look into it today. ";
            }
            text += "\n{signature|}\n\"\"\"\n";
        }
        bool ok = std::fwrite(text.data(), 1, text.size(), f) == text.size();
        ok = std::fclose(f) == 0 && ok;
        if (!ok) {
            std::fprintf(stderr, "kefu_gen: write failed: %s\n", path.c_str());
            return false;
        }
    }
    return true;
}

void write_stats(std::FILE* f, const Stats& s) {
    uint64_t customers = 0;
    for (bool b : s.customers_seen) {
        customers += b ? 1 : 0;
    }
    std::fprintf(
        f, "rows %llu\nbytes %llu\ncustomers %llu\nzh_rows %llu\nen_rows %llu\nlong_rows %llu\n",
        static_cast<unsigned long long>(s.rows), static_cast<unsigned long long>(s.bytes),
        static_cast<unsigned long long>(customers), static_cast<unsigned long long>(s.zh_rows),
        static_cast<unsigned long long>(s.en_rows), static_cast<unsigned long long>(s.long_rows));
    std::fprintf(
        f, "multiline_rows %llu\nquote_rows %llu\nrows_with_tuikuan %llu\nrows_with_refund %llu\n",
        static_cast<unsigned long long>(s.multiline_rows),
        static_cast<unsigned long long>(s.quoted_quote_rows),
        static_cast<unsigned long long>(s.rows_with_tuikuan),
        static_cast<unsigned long long>(s.rows_with_refund));
    for (int k = 0; k < k_category_count; ++k) {
        std::fprintf(f, "category_%s %llu\n", std::string(k_category_names[k]).c_str(),
                     static_cast<unsigned long long>(s.categories[k]));
    }
}

int usage(const char* why) {
    std::fprintf(
        stderr,
        "kefu_gen: %s\n"
        "usage: kefu_gen [--rows N] [--seed S] [--customers N] [--out FILE] [--stats FILE]\n"
        "       kefu_gen --templates N --out DIR [--seed S]\n"
        "  Writes a synthetic inquiry CSV (to stdout without --out); the same arguments always\n"
        "  give the same bytes. --stats writes counts (rows, rows containing 退款, …).\n"
        "  With --templates, writes a library of N reply templates into DIR instead.\n",
        why);
    return 2;
}

bool parse_number(const char* s, uint64_t* out) {
    char* end = nullptr;
    unsigned long long v = std::strtoull(s, &end, 10);
    if (end == s || *end != '\0' || s[0] == '-') {
        return false;
    }
    *out = v;
    return true;
}

}  // namespace

int main(int argc, char** argv) {
    uint64_t rows = 100000;
    uint64_t seed = 1;
    uint64_t customers = 20000;
    const char* out_path = nullptr;
    const char* stats_path = nullptr;
    uint64_t templates = 0;
    for (int i = 1; i < argc; ++i) {
        std::string_view a = argv[i];
        if (a == "-h" || a == "--help") {
            usage("synthetic inquiries for the benchmark");
            return 0;
        }
        if (i + 1 >= argc) {
            return usage("every option takes a value");
        }
        const char* v = argv[++i];
        bool ok = true;
        if (a == "--rows") {
            ok = parse_number(v, &rows);
        } else if (a == "--seed") {
            ok = parse_number(v, &seed);
        } else if (a == "--customers") {
            ok = parse_number(v, &customers) && customers > 0;
        } else if (a == "--out") {
            out_path = v;
        } else if (a == "--stats") {
            stats_path = v;
        } else if (a == "--templates") {
            ok = parse_number(v, &templates) && templates > 0;
        } else {
            return usage("unknown option");
        }
        if (!ok) {
            return usage("bad number");
        }
    }

    if (templates > 0) {
        if (out_path == nullptr) {
            return usage("--templates needs --out DIR");
        }
        return write_templates(out_path, templates, seed) ? 0 : 1;
    }
    std::FILE* out = out_path != nullptr ? std::fopen(out_path, "wb") : stdout;
    if (out == nullptr) {
        std::fprintf(stderr, "kefu_gen: cannot write %s: %s\n", out_path, std::strerror(errno));
        return 1;
    }
    Generator gen(seed, rows, static_cast<size_t>(customers));
    bool ok = gen.write(out);
    ok = (out_path != nullptr ? std::fclose(out) == 0 : std::fflush(out) == 0) && ok;
    if (!ok) {
        std::fprintf(stderr, "kefu_gen: write failed: %s\n", std::strerror(errno));
        return 1;
    }
    if (stats_path != nullptr) {
        std::FILE* sf = std::fopen(stats_path, "w");
        if (sf == nullptr) {
            std::fprintf(stderr, "kefu_gen: cannot write %s: %s\n", stats_path,
                         std::strerror(errno));
            return 1;
        }
        write_stats(sf, gen.stats());
        if (std::fclose(sf) != 0) {
            std::fprintf(stderr, "kefu_gen: write failed: %s\n", stats_path);
            return 1;
        }
    }
    return 0;
}
