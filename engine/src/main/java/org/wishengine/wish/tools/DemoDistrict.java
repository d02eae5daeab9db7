package org.wishengine.wish.tools;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * An illustrative district for the {@code demo} command: one district (金山区), 14 towns, 245
 * communities, a few service points, and campaigns of wishes with stories, categories and
 * bilingual locations. Everything follows from the seed, the wish count and the instant given, so
 * two plans made with the same inputs are equal (no clock, no shared random source).
 *
 * <p>Eleven towns carry the names of the real towns and subdistricts of Shanghai's Jinshan
 * district; the other three are plainly generic ("Demo area"). The communities, people and wishes
 * are made up from small lists of common name parts.
 */
public final class DemoDistrict {

    /** The district's id, without suffix: the command refuses to build a second one under it. */
    public static final String DISTRICT_ID = "district";
    public static final int TOWNS = 14;
    public static final int COMMUNITIES = 245;
    public static final int CAMPAIGNS_PER_TOWN = 4;
    /** Fewest wishes a plan can hold: one per campaign. */
    public static final int MIN_WISHES = TOWNS * CAMPAIGNS_PER_TOWN;
    /** Most wishes: keeps each campaign's body well under the engine's default 1 MiB limit. */
    public static final int MAX_WISHES = 20_000;
    /** The fair-start campaign opens this long after the plan's instant, with this draw window. */
    public static final Duration FAIR_START_DELAY = Duration.ofMinutes(1);
    public static final int FAIR_START_WINDOW_SECONDS = 30;

    /** One org of the tree; {@code parent} is null for the district. */
    public record Org(String id, String name, String parent, int depth) {
    }

    /** One wish of a campaign, as {@code POST /api/campaigns} takes it. */
    public record Wish(String id, String title, int quantity, String category, String location, String beneficiary,
            String description) {
    }

    /** One campaign; {@code fairStartWindowSeconds} is 0 for a plain first-come grab. */
    public record Campaign(String id, String title, String org, Instant opensAt, int fairStartWindowSeconds,
            List<Wish> wishes) {
    }

    /** The whole plan; campaigns open at {@code now} unless they say otherwise. */
    public record Plan(String districtId, Instant now, List<Org> orgs, List<Campaign> campaigns) {

        public int wishCount() {
            return campaigns.stream().mapToInt(c -> c.wishes().size()).sum();
        }

        public int units() {
            return campaigns.stream().flatMap(c -> c.wishes().stream()).mapToInt(Wish::quantity).sum();
        }

        public long orgsAtDepth(int depth) {
            return orgs.stream().filter(o -> o.depth() == depth).count();
        }
    }

    /** A town: its id, the stem of its communities' ids, Chinese name, English name, whether it has villages. */
    private record Town(String id, String stem, String zh, String en, boolean rural) {
    }

    private static final List<Town> TOWN_LIST = List.of(
            new Town("town-zhujing", "zhujing", "朱泾镇", "Zhujing Town", true),
            new Town("town-fengjing", "fengjing", "枫泾镇", "Fengjing Town", true),
            new Town("town-zhangyan", "zhangyan", "张堰镇", "Zhangyan Town", true),
            new Town("town-tinglin", "tinglin", "亭林镇", "Tinglin Town", true),
            new Town("town-lvxiang", "lvxiang", "吕巷镇", "Lüxiang Town", true),
            new Town("town-langxia", "langxia", "廊下镇", "Langxia Town", true),
            new Town("town-jinshanwei", "jinshanwei", "金山卫镇", "Jinshanwei Town", true),
            new Town("town-caojing", "caojing", "漕泾镇", "Caojing Town", true),
            new Town("town-shanyang", "shanyang", "山阳镇", "Shanyang Town", true),
            new Town("subdistrict-shihua", "shihua", "石化街道", "Shihua Subdistrict", false),
            new Town("zone-industrial", "industrial", "金山工业区", "Jinshan Industrial Zone", true),
            // Generic on purpose: the demo does not invent names that could pass for real places.
            new Town("area-demo-a", "demo-a", "示范片区一", "Demo Area A", false),
            new Town("area-demo-b", "demo-b", "示范片区二", "Demo Area B", false),
            new Town("area-demo-c", "demo-c", "示范片区三", "Demo Area C", true));

    /** Common two-character community name parts, with pinyin (ASCII, for ids and English names). */
    private static final String[][] COMMUNITY_PARTS = {
            {"东兴", "Dongxing"}, {"新华", "Xinhua"}, {"幸福", "Xingfu"}, {"和平", "Heping"}, {"建设", "Jianshe"},
            {"人民", "Renmin"}, {"红旗", "Hongqi"}, {"胜利", "Shengli"}, {"向阳", "Xiangyang"}, {"团结", "Tuanjie"},
            {"永安", "Yongan"}, {"长兴", "Changxing"}, {"金桥", "Jinqiao"}, {"银河", "Yinhe"}, {"花园", "Huayuan"},
            {"阳光", "Yangguang"}, {"康乐", "Kangle"}, {"安居", "Anju"}, {"新桥", "Xinqiao"}, {"南苑", "Nanyuan"},
            {"北苑", "Beiyuan"}, {"东苑", "Dongyuan"}, {"西苑", "Xiyuan"}, {"梅园", "Meiyuan"}, {"桃园", "Taoyuan"},
            {"兰亭", "Lanting"}, {"荷花", "Hehua"}, {"文化", "Wenhua"}, {"民主", "Minzhu"}, {"友谊", "Youyi"},
            {"振兴", "Zhenxing"}, {"新风", "Xinfeng"}, {"惠民", "Huimin"}, {"百花", "Baihua"}, {"景秀", "Jingxiu"},
            {"锦绣", "Jinxiu"}, {"龙泉", "Longquan"}, {"凤凰", "Fenghuang"}, {"春晖", "Chunhui"}, {"朝阳", "Chaoyang"},
            {"新城", "Xincheng"}, {"滨海", "Binhai"}, {"海湾", "Haiwan"}, {"东风", "Dongfeng"}, {"光明", "Guangming"},
            {"前进", "Qianjin"}, {"星火", "Xinghuo"}, {"五一", "Wuyi"}, {"育才", "Yucai"}, {"青松", "Qingsong"}};

    /** Fewest communities per town; the rest of the 245 are spread at random. */
    private static final int MIN_COMMUNITIES_PER_TOWN = 10;

    private static final String[][] SURNAMES = {
            {"王", "Wang"}, {"李", "Li"}, {"张", "Zhang"}, {"刘", "Liu"}, {"陈", "Chen"}, {"杨", "Yang"},
            {"黄", "Huang"}, {"赵", "Zhao"}, {"吴", "Wu"}, {"周", "Zhou"}, {"徐", "Xu"}, {"孙", "Sun"},
            {"朱", "Zhu"}, {"沈", "Shen"}, {"顾", "Gu"}, {"陆", "Lu"}, {"金", "Jin"}, {"蒋", "Jiang"}};

    /**
     * A category: its name, and items {Chinese, English, why (Chinese), why (English)}, and "n" for
     * an item that can be asked for by the several (a radio is not; exercise books are).
     */
    private record Category(String name, String[][] items) {
    }

    private static final List<Category> CATEGORIES = List.of(
            new Category("elderly", new String[][] {
                    {"收音机", "a radio", "独居，原来的收音机坏了。", "Lives alone; the old radio broke."},
                    {"老花镜", "reading glasses", "看报纸越来越吃力。", "Finds the newspaper harder to read each month."},
                    {"电热毯", "an electric blanket", "老房子冬天很冷。", "The old house is cold in winter."},
                    {"助行器", "a walking frame", "去年摔过一跤，走路不稳。", "Fell last year and walks unsteadily."},
                    {"血压计", "a blood pressure monitor", "医生嘱咐每天量血压。", "The doctor asked for a daily reading."},
                    {"保暖护膝", "warm knee pads", "关节炎，天冷就疼。", "Arthritis aches in the cold."}}),
            new Category("children", new String[][] {
                    {"绘本", "picture books", "喜欢听故事，家里书很少。", "Loves stories; there are few books at home.", "n"},
                    {"书包", "a school bag", "书包背带断了。", "The strap of the old bag broke."},
                    {"冬衣", "a winter coat", "去年的冬衣已经穿不下了。", "Has outgrown last year's coat."},
                    {"积木", "a set of building blocks", "父母在外打工，由奶奶照看。", "Parents work away; Grandma looks after her."},
                    {"运动鞋", "sports shoes", "想参加学校运动会。", "Wants to run at the school sports day."}}),
            new Category("students", new String[][] {
                    {"台灯", "a desk lamp", "晚上在小桌上写作业。", "Does homework at a small table at night."},
                    {"练习本", "exercise books", "准备中考，练习本用得快。", "Preparing for exams; uses many books.", "n"},
                    {"英语词典", "an English dictionary", "想学好英语。", "Wants to get good at English."},
                    {"计算器", "a scientific calculator", "高中数学课需要。", "Needed for high-school maths."},
                    {"自行车", "a bicycle", "学校离家四公里。", "School is four kilometres from home."}}),
            new Category("riders", new String[][] {
                    {"雨衣", "a raincoat", "雨天送餐全身湿透。", "Gets soaked delivering in the rain."},
                    {"充电宝", "a power bank", "手机没电就接不了单。", "A flat phone means no orders."},
                    {"保温杯", "a vacuum flask", "冬天路上喝不到热水。", "No hot water on the road in winter."},
                    {"护膝手套", "gloves and knee guards", "电动车上风大。", "Cold wind on the scooter all day."}}),
            new Category("disabled", new String[][] {
                    {"轮椅坐垫", "a wheelchair cushion", "每天坐轮椅十几个小时。", "Spends over ten hours a day in a wheelchair."},
                    {"语音手表", "a talking watch", "视力不好，看不清时间。", "Poor sight; cannot read a clock."},
                    {"助听器电池", "hearing aid batteries", "电池用得快。", "The batteries run down fast.", "n"},
                    {"防滑拖鞋", "non-slip slippers", "浴室地滑。", "The bathroom floor is slippery."}}),
            new Category("families", new String[][] {
                    {"大米和食用油", "rice and cooking oil", "家里一人患病，收入减少。", "One of them is ill and income fell.", "n"},
                    {"电饭煲", "a rice cooker", "旧电饭煲漏电。", "The old rice cooker leaks current."},
                    {"棉被", "a cotton quilt", "冬天被子不够。", "Not enough quilts for the winter."},
                    {"米面粮油", "a food parcel", "刚搬来，生活还没安顿好。", "Just moved here and still settling in.", "n"}}));

    /** Campaign themes: Chinese title, English title, the category most of its wishes are for. */
    private static final String[][] THEMES = {
            {"冬日暖心", "Winter warmth", "elderly"}, {"助学圆梦", "Back to school", "students"},
            {"童心同行", "Children first", "children"}, {"骑手驿站", "Riders' rest", "riders"},
            {"助残扶弱", "Helping hands", "disabled"}, {"邻里守望", "Neighbours", "families"},
            {"敬老月", "Month of the elders", "elderly"}, {"六一心愿", "Children's Day wishes", "children"}};

    private DemoDistrict() {
    }

    /**
     * The plan for {@code seed} with {@code wishes} wishes in all; campaigns open relative to
     * {@code now}: one opens {@code opensIn} later, one is a fair start opening a minute after
     * {@code now}, the rest are open at {@code now}. {@code suffix} ("" or e.g. "-2") is appended to
     * every id, so a second demo can stand beside the first.
     */
    public static Plan plan(long seed, int wishes, Instant now, Duration opensIn, String suffix) {
        if (wishes < MIN_WISHES || wishes > MAX_WISHES) {
            throw new IllegalArgumentException("wishes must be " + MIN_WISHES + ".." + MAX_WISHES + ": " + wishes);
        }
        SplittableRandom random = new SplittableRandom(seed);
        List<Org> orgs = new ArrayList<>();
        String districtId = DISTRICT_ID + suffix;
        orgs.add(new Org(districtId, "金山区 Jinshan District (demo)", null, 0));
        int[] perTown = communitiesPerTown(random);
        List<List<Org>> communitiesOf = new ArrayList<>();
        List<Org> communities = new ArrayList<>();
        for (int t = 0; t < TOWNS; t++) {
            Town town = TOWN_LIST.get(t);
            String townId = town.id() + suffix;
            orgs.add(new Org(townId, town.zh() + " " + town.en(), districtId, 1));
            List<Org> mine = new ArrayList<>();
            for (int part : firstOfShuffle(random, COMMUNITY_PARTS.length, perTown[t])) {
                String[] name = COMMUNITY_PARTS[part];
                boolean village = town.rural() && random.nextInt(3) > 0;
                String zh = name[0] + (village ? "村" : "居委");
                String en = name[1] + (village ? " Village" : " Residents' Committee");
                Org community = new Org(town.stem() + "-" + name[1].toLowerCase() + suffix, zh + " " + en, townId, 2);
                mine.add(community);
            }
            orgs.addAll(mine);
            communities.addAll(mine);
            communitiesOf.add(mine);
        }
        // A few service points (the tree's fourth level), one in each of a few communities.
        for (int index : firstOfShuffle(random, communities.size(), TOWNS)) {
            Org community = communities.get(index);
            String stem = community.id().substring(0, community.id().length() - suffix.length());
            orgs.add(new Org(stem + "-sp1" + suffix, community.name().split(" ")[0] + "睦邻点 " + pinyinOf(community)
                    + " Neighbourhood Point", community.id(), 3));
        }
        return new Plan(districtId, now, orgs, campaigns(random, wishes, now, opensIn, suffix, communitiesOf));
    }

    private static int[] communitiesPerTown(SplittableRandom random) {
        int[] perTown = new int[TOWNS];
        java.util.Arrays.fill(perTown, MIN_COMMUNITIES_PER_TOWN);
        for (int left = COMMUNITIES - TOWNS * MIN_COMMUNITIES_PER_TOWN; left > 0; ) {
            int t = random.nextInt(TOWNS);
            if (perTown[t] < COMMUNITY_PARTS.length) {
                perTown[t]++;
                left--;
            }
        }
        return perTown;
    }

    /** The first {@code count} of a shuffle of 0..n-1. */
    private static List<Integer> firstOfShuffle(SplittableRandom random, int n, int count) {
        List<Integer> all = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            all.add(i);
        }
        // Collections.shuffle takes a java.util.Random; a Fisher–Yates of our own keeps the seed's stream.
        for (int i = n - 1; i > 0; i--) {
            Collections.swap(all, i, random.nextInt(i + 1));
        }
        return all.subList(0, count);
    }

    private static List<Campaign> campaigns(SplittableRandom random, int wishCount, Instant now, Duration opensIn,
            String suffix, List<List<Org>> communitiesOf) {
        int campaignCount = TOWNS * CAMPAIGNS_PER_TOWN;
        // Every campaign gets one wish, the rest go at random, so sizes vary as they do in life.
        int[] sizes = new int[campaignCount];
        java.util.Arrays.fill(sizes, 1);
        for (int i = campaignCount; i < wishCount; i++) {
            sizes[random.nextInt(campaignCount)]++;
        }
        int fairStart = random.nextInt(campaignCount);
        int later = (fairStart + 1 + random.nextInt(campaignCount - 1)) % campaignCount;
        List<Campaign> campaigns = new ArrayList<>(campaignCount);
        int wishNumber = 0;
        for (int c = 0; c < campaignCount; c++) {
            int t = c / CAMPAIGNS_PER_TOWN;
            Town town = TOWN_LIST.get(t);
            List<Org> communities = communitiesOf.get(t);
            // The town's first campaign is its own; the others are its communities'.
            Org community = c % CAMPAIGNS_PER_TOWN == 0 ? null : communities.get(random.nextInt(communities.size()));
            String org = community == null ? town.id() + suffix : community.id();
            String[] theme = THEMES[random.nextInt(THEMES.length)];
            String place = community == null ? town.zh() + " " + town.en() : community.name();
            String title = theme[0] + " · " + place.split(" ")[0] + " " + theme[1] + " · " + shortEnglish(town, community);
            Instant opensAt = c == fairStart ? now.plus(FAIR_START_DELAY) : c == later ? now.plus(opensIn) : now;
            List<Wish> wishes = new ArrayList<>(sizes[c]);
            for (int w = 0; w < sizes[c]; w++) {
                wishNumber++;
                Org where = community != null ? community : communities.get(random.nextInt(communities.size()));
                wishes.add(wish(random, "demo-w" + wishNumber + suffix, theme[2], town, where));
            }
            campaigns.add(new Campaign("demo-" + town.stem() + "-" + (c % CAMPAIGNS_PER_TOWN + 1) + suffix, title, org,
                    opensAt, c == fairStart ? FAIR_START_WINDOW_SECONDS : 0, wishes));
        }
        return campaigns;
    }

    private static String shortEnglish(Town town, Org community) {
        String townName = town.en().replace(" Town", "");
        return community == null ? townName : townName + "/" + pinyinOf(community);
    }

    /** The community's name part in pinyin, e.g. "Dongxing". */
    private static String pinyinOf(Org community) {
        return community.name().split(" ")[1];
    }

    private static Wish wish(SplittableRandom random, String id, String themeCategory, Town town, Org community) {
        // Six wishes in ten are of the campaign's theme; the others of any category.
        Category category = random.nextInt(10) < 6
                ? CATEGORIES.stream().filter(c -> c.name().equals(themeCategory)).findFirst().orElseThrow()
                : CATEGORIES.get(random.nextInt(CATEGORIES.size()));
        String[] item = category.items()[random.nextInt(category.items().length)];
        String[] surname = SURNAMES[random.nextInt(SURNAMES.length)];
        String[] who = beneficiary(random, category.name(), surname);
        int quantity = item.length > 4 && random.nextBoolean() ? 2 + random.nextInt(9) : 1;
        String title = who[2] + "的" + item[0] + " · " + capitalise(item[1]) + " for " + who[3];
        String location = town.zh() + "/" + community.name().split(" ")[0] + " " + town.en().replace(" Town", "")
                + "/" + pinyinOf(community);
        String description = item[2] + " " + item[3];
        return new Wish(id, title, quantity, category.name(), location, who[0] + " · " + who[1], description);
    }

    /** {full Chinese, full English, short Chinese, short English} for a beneficiary. */
    private static String[] beneficiary(SplittableRandom random, String category, String[] surname) {
        String zh = surname[0];
        String en = surname[1];
        switch (category) {
            case "elderly": {
                int age = 70 + random.nextInt(26);
                boolean grandma = random.nextBoolean();
                String shortZh = zh + (grandma ? "奶奶" : "爷爷");
                String shortEn = (grandma ? "Grandma " : "Grandpa ") + en;
                return new String[] {shortZh + "，" + age + "岁", shortEn + ", " + age, shortZh, shortEn};
            }
            case "children": {
                int age = 4 + random.nextInt(9);
                return new String[] {"小" + zh + "，" + age + "岁", "Little " + en + ", " + age, "小" + zh, "little " + en};
            }
            case "students": {
                int age = 12 + random.nextInt(7);
                return new String[] {zh + "同学，" + age + "岁", en + ", a student of " + age, zh + "同学", en};
            }
            case "riders":
                return new String[] {"外卖骑手" + zh + "师傅", "Mr " + en + ", a delivery rider", zh + "师傅", "Mr " + en};
            case "disabled": {
                int age = 30 + random.nextInt(45);
                return new String[] {zh + "阿姨，" + age + "岁", "Ms " + en + ", " + age, zh + "阿姨", "Ms " + en};
            }
            default: {
                int size = 3 + random.nextInt(4);
                return new String[] {zh + "家（" + size + "口人）", "the " + en + " family of " + size, zh + "家",
                        "the " + en + " family"};
            }
        }
    }

    private static String capitalise(String text) {
        return Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
