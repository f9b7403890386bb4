"""The English versions of the demo's stories, broadcasts and policy news (editorial.py), by slug.

Written for an English reader, not word for word: names are in pinyin, amounts in the units the
original uses (a mu is about 667 m², a jin half a kilogram), and what a Chinese reader knows without
being told (where Wuchang is, what a 文号 is) is said in a few words where it matters.
"""

# --- Stories: title, introduction, author, two sections (heading, paragraph), a quote, a photo caption ---

STORIES_EN = {
    "wuchang-one-harvest": {
        "title": "One harvest a year: 140 days in a Wuchang paddy",
        "intro": "From seedlings in April to the sickle in October, members of the Daoyuan cooperative follow "
        "a grain of Wuchang rice as it grows.",
        "author": "Li Xiao, Farmcast editors",
        "sections": [
            (
                "April: seedlings under plastic",
                "Spring comes late to Wuchang. Only in mid-April do the cooperative's seedling greenhouses turn "
                "green. Every member sows the same Daohuaxiang No. 2 seed, and every lot of seed is registered "
                "with where it came from.",
            ),
            (
                "October: the day the sickles come out",
                "Around National Day the ears hang heavy. The harvested grain first dries in the open on the "
                "threshing ground, then goes into a cool store and is milled only when an order comes in.",
            ),
        ],
        "quote": ("Good rice is grown, and it is also guarded.", "Wang Defu, chair of the cooperative"),
        "caption": "Paddies by the Lalin River in late September, days before the harvest",
    },
    "ducks-in-the-paddy": {
        "title": "Ducks in the paddy: the organic rice's weeding crew",
        "intro": "No herbicide, so what keeps the weeds down? On the cooperative's organic plots, a flock of "
        "ducks goes to work.",
        "author": "Li Xiao, Farmcast editors",
        "sections": [
            (
                "Fifteen ducks a mu",
                "Two weeks after transplanting, ducklings are let into the paddy. They eat weeds and insects and "
                "stir up the muddy water, and the weeds thin out.",
            ),
            (
                "What certification costs",
                "Converting to organic takes three years, and the yield is a third lower than conventional "
                "rice. The cooperative makes that effort visible to buyers with pre-orders and traceable records.",
            ),
        ],
        "quote": ("The ducks work harder than we do: they are in the field at first light.", "Zhao, a member"),
        "caption": "Ducks patrolling an organic plot",
    },
    "xunwu-three-generations": {
        "title": "Three generations in an orange grove",
        "intro": "The Liu family has grown navel oranges on Xunwu's red hillsides for thirty years. This "
        "generation learned to broadcast live.",
        "author": "Chen Zhou, Farmcast editors",
        "sections": [
            (
                "It started with grandfather's trees",
                "In the 1990s, Grandpa Liu cleared the first grove on a bare hillside. Back then traders came to "
                "the door to buy, and the price was never his to set.",
            ),
            (
                "A live room in the grove",
                "Today his grandson Liu Chen goes live in the grove every evening. The camera points at the "
                "fruit on the tree; he cuts one open and measures its sugar on the spot, so viewers can see for "
                "themselves.",
            ),
        ],
        "quote": ("Is the orange good? Cut it open and show everyone.", "Liu Chen, the grove's host"),
        "caption": "A navel orange grove on the hills of Xunwu",
    },
    "huanglongbing-defense": {
        "title": "Guarding the grove: insect nets over the orange trees",
        "intro": "Citrus greening once cost Gannan's growers dearly. Today the grove protects its trees with "
        "insect nets and biological control.",
        "author": "Chen Zhou, Farmcast editors",
        "sections": [
            (
                "What a net costs",
                "The grove put up insect nets in 2019 at almost ten thousand yuan a mu. They keep out the "
                "psyllids that carry the disease.",
            ),
            (
                "Tests you can see",
                "Before every harvest an independent laboratory samples the fruit for pesticide residues, and "
                "the report is on the product page for buyers to read.",
            ),
        ],
        "quote": ("With the trees safe, I can sleep at night.", "Liu Jianguo, owner of the grove"),
        "caption": "Orange trees under insect netting",
    },
    "zhongning-drying": {
        "title": "The right way to dry goji",
        "intro": "No sulphur smoke and no dye: how do Zhongning's growers dry goji berries so they stay red and clean?",
        "author": "Ma Lan, Farmcast editors",
        "sections": [
            (
                "First-flush mornings",
                "At five on a June morning the pickers are already among the bushes. The first flush gives the "
                "biggest berries, and they must be picked before the sun gets fierce.",
            ),
            (
                "Sun, then a gentle oven",
                "Fresh berries dry in the open for two days, then finish in a low-temperature drying room. "
                "Every lot is tested for sulphur dioxide, and the report ships with the goods.",
            ),
        ],
        "quote": ("Good goji does not colour the water you steep it in.", "Ma Xiaoyan, the cooperative's inspector"),
        "caption": "Red goji spread out on the drying ground",
    },
    "black-goji-saline-land": {
        "title": "Black goji on salty land",
        "intro": "Saline land that once grew no crops now grows black goji.",
        "author": "Ma Lan, Farmcast editors",
        "sections": [
            (
                "Taming a wild plant",
                "The cooperative spent five years bringing wild black goji into cultivation. Yields are low, "
                "but it does not take land from grain.",
            ),
            (
                "Why there is only so much",
                "Black goji is slow to pick: one worker gathers a dozen jin or so a day, so every year's supply "
                "is limited.",
            ),
        ],
        "quote": ("Poor land, fine fruit.", "Yang Hai, the cooperative's agronomist"),
        "caption": "Black goji bushes on saline land",
    },
    "yanchi-ear-tag": {
        "title": "A Tan sheep's ear tag",
        "intro": "From its birth record to the butcher's cut, one ear tag records a Tan sheep's life.",
        "author": "Zhou Hang, Farmcast editors",
        "sections": [
            (
                "A file from birth",
                "On its third day a lamb gets its ear tag. Its breed, its mother's number and its vaccinations "
                "all go into the system.",
            ),
            (
                "Scan the code, see the sheep",
                "When the lamb arrives, buyers scan the lot code on the pack and see the ranch, the date the "
                "animal left it and its inspection certificate.",
            ),
        ],
        "quote": (
            "Tan lamb tastes good because of the grass and the water, and because of the rules.",
            "Yang Zhigang, ranch manager",
        ),
        "caption": "Tan sheep on the Yanchi grassland",
    },
    "qixia-bagging": {
        "title": "Dressing the apples: bagging season in Qixia",
        "intro": "At the end of May, Qixia's growers slip a paper bag over hundreds of thousands of young "
        "apples, one by one.",
        "author": "Sun Yue, Farmcast editors",
        "sections": [
            (
                "One apple, one bag",
                "Bags keep off insects and spray and give the skin a clean finish. The Wang family's orchard "
                "bags more than 300,000 apples a year, with the whole family on the job.",
            ),
            (
                "Unbagging and turning",
                "After the bags come off in September, the growers turn each apple and lay reflective film "
                "under the trees, so every side of the fruit sees the sun.",
            ),
        ],
        "quote": ("An apple's red is sunshine, a little at a time.", "Wang Xiulan, owner of the orchard"),
        "caption": "Red Fuji orchards on the hills",
    },
    "apple-chips-no-waste": {
        "title": "Where the less pretty apples go",
        "intro": "Small or scarred apples used to be sold off cheap. Now they become freeze-dried chips.",
        "author": "Sun Yue, Farmcast editors",
        "sections": [
            (
                "A use for seconds",
                "About 15% of the apples fetch a poor price every year because of how they look. The orchard "
                "works with a local factory to freeze-dry them into chips.",
            ),
            (
                "Nothing added",
                "The chips are made from apples alone: not fried, no sugar. They have become a best-selling "
                "snack in the live room.",
            ),
        ],
        "quote": ("If it can be eaten, not one apple goes to waste.", "Wang Xiulan, owner of the orchard"),
        "caption": "Apples sliced for freeze-drying",
    },
    "luochuan-tableland": {
        "title": "Apples from the tableland",
        "intro": "Why does the Luochuan tableland, on the Loess Plateau, grow such good apples?",
        "author": "Gao Yuan, Farmcast editors",
        "sections": [
            (
                "Altitude and cool nights",
                "The tableland lies 1,100 metres up, with a wide swing between day and night temperatures. The "
                "apples build up plenty of sugar, and their dense flesh keeps well.",
            ),
            (
                "Growing to order",
                "The company has contracts with 320 grower households and buys by sugar content and size, so "
                "good fruit earns a good price.",
            ),
        ],
        "quote": (
            "We used to worry about selling. Now quality sets the price, and we know where we stand.",
            "Zhang Jianjun, apple grower",
        ),
        "caption": "Apple orchards on the Luochuan tableland",
    },
    "meijiawu-hand-roasting": {
        "title": "One pan of Longjing, more than an hour",
        "intro": "Master Zhu of Meijiawu has roasted tea for forty years. The secret of hand-roasted Longjing, "
        "he says, is in the hands.",
        "author": "Shen Qing, Farmcast editors",
        "sections": [
            (
                "The ten moves",
                "Grasp, shake, lift, spread, press, push, hold, toss, grind, flatten: each pan takes only 250 g "
                "of fresh leaves, and the heat is judged by touch alone.",
            ),
            (
                "Before Qingming",
                "In the fortnight before the Qingming festival the garden is picked every day and roasted every "
                "night. A skilled roaster makes only two or three jin of dry tea in a night.",
            ),
        ],
        "quote": ("If your hands don't burn, the tea won't be fragrant.", "Zhu Yongnian, tea roaster"),
        "caption": "Tea gardens on the slopes of Meijiawu",
    },
    "longjing-brewing": {
        "title": "How to brew Longjing well",
        "intro": "Water temperature, the right glass, when to add the leaves: the grower's daughter shows each "
        "step in the live room.",
        "author": "Shen Qing, Farmcast editors",
        "sections": [
            (
                "Water at 80 degrees",
                "Let boiled water cool to about 80 °C before pouring, so the tender buds are not scalded and "
                "the tea stays clear.",
            ),
            (
                "Leaves first, in a glass",
                "Put the leaves in first, then the water, and watch them unfold in the glass: half the "
                "pleasure of Longjing.",
            ),
        ],
        "quote": ("Good tea is hard to spoil, unless you brew it wrong.", "Zhu Xiaoyu, the garden's host"),
        "caption": "Longjing leaves unfolding in a glass",
    },
    "yangcheng-crab-buckle": {
        "title": "The number on the crab's tag",
        "intro": "Every Yangcheng Lake hairy crab wears an anti-counterfeit tag. What is behind it?",
        "author": "Gu Ning, Farmcast editors",
        "sections": [
            (
                "Farming under licence",
                "The lake's netted pens shrink year by year. The Shen family's pen is licensed, and no more than "
                "600 young crabs are stocked per mu.",
            ),
            (
                "One tag, one code",
                "The number on each tag names the farmer and the day the crab was caught. Buyers scan it to "
                "check, and fakes have nowhere to hide.",
            ),
        ],
        "quote": ("Clean water makes good crab.", "Shen Agen, crab farmer"),
        "caption": "Netted crab pens on Yangcheng Lake",
    },
    "puer-forest-tea": {
        "title": "Tea under the trees: how Pu'er's mountains stay wild",
        "intro": "On the tea mountains of Simao, tea bushes grow among camphor and alder trees.",
        "author": "Yan Wen, Farmcast editors",
        "sections": [
            (
                "Keeping the native forest",
                "The cooperative kept strips of native forest between the tea. There are more birds and insects "
                "now, and fewer pests and diseases.",
            ),
            (
                "Sun-dried leaf",
                "Fresh leaves are fired and rolled the day they are picked, then dried in the sun on bamboo "
                "mats: where Pu'er's own flavour begins.",
            ),
        ],
        "quote": ("The tea grows in the forest, and so do we.", "Yan Xiang, member of the cooperative"),
        "caption": "Pu'er tea bushes under the forest canopy",
    },
    "puer-storage": {
        "title": "Why Pu'er is kept",
        "intro": "Does raw Pu'er get better with age? The cooperative's storekeeper explains how to keep it.",
        "author": "Yan Wen, Farmcast editors",
        "sections": [
            (
                "Air, no light",
                "Keep Pu'er somewhere airy, dark and free of odours. Too much humidity and it goes mouldy.",
            ),
            (
                "Ripe tea is ready now",
                "Ripe Pu'er has already been fermented in piles, so it is ready to drink when you buy it. The "
                "small tuocha are handy for every day.",
            ),
        ],
        "quote": ("Tea is alive. Give it a good home.", "Li Chunhua, storekeeper"),
        "caption": "Tea cakes stacked in the store",
    },
    "anxi-zuoqing": {
        "title": "Zuoqing: the soul of Tieguanyin",
        "intro": "Tossing and resting the leaves four or five times over: the master decides when to stop by "
        "look and by smell.",
        "author": "Lin Hai, Farmcast editors",
        "sections": [
            (
                "Fragrance you shake out",
                "Fresh leaves are tossed in bamboo sieves. Their edges bruise red, and an orchid fragrance rises.",
            ),
            (
                "A sleepless night",
                "Zuoqing runs for more than ten hours straight. The master stays up all night in the workshop, "
                "checking the leaves every hour or two.",
            ),
        ],
        "quote": ("The fragrance comes from staying up all night.", "Lin Guoqing, tea master"),
        "caption": "Terraced tea gardens in the mist",
    },
    "korla-snowmelt": {
        "title": "Pears watered by mountain snow",
        "intro": "Snowmelt from the Tianshan and desert sunshine: how do the pear orchards by the Peacock "
        "River save water?",
        "author": "Ayi, Farmcast editors",
        "sections": [
            (
                "Drip irrigation",
                "The cooperative replaced flood irrigation with drip lines. It saves 40% of the water per mu, "
                "and the pears are more consistent than before.",
            ),
            (
                "The cold store",
                "Picked in September, the pears go into a cold store and stay on sale until the next spring.",
            ),
        ],
        "quote": ("We use less water, and the pears are sweeter.", "Ali, member of the cooperative"),
        "caption": "Pear orchards by the Peacock River",
    },
    "fuling-wind-drying": {
        "title": "Zhacai dried by the river wind",
        "intro": "Every winter, rows of racks go up along the Yangtze at Fuling, and mustard stems dry in the wind.",
        "author": "Ran Jing, Farmcast editors",
        "sections": [
            (
                "Drying on the racks",
                "The stems are halved, threaded on strings and hung on racks by the river for seven to ten "
                "days, until they have lost half their water.",
            ),
            (
                "Salted and pressed three times",
                "The dried stems are salted and pressed three times, mixed with chilli and spices, and packed "
                "into crocks to ferment.",
            ),
        ],
        "quote": ("The crunch in zhacai comes from the river wind.", "Ran Guangming, chair of the cooperative"),
        "caption": "Racks of drying mustard stems by the Yangtze",
    },
    "xinyang-maojian-spring": {
        "title": "Spring for Xinyang Maojian",
        "intro": "Around Qingming, the tea hills of Shihegang are full of pickers.",
        "author": "Zheng He, Farmcast editors",
        "sections": [
            (
                "Fine, round, smooth and straight",
                "Good Maojian is fine, round, smooth and straight, with plenty of white down. That takes three "
                "steps: a first pan, a second pan and baking.",
            ),
            (
                "Joining the cooperative",
                "Since 130 grower households joined the cooperative, which processes the tea and sells it under "
                "one brand, they earn 30% more for every jin.",
            ),
        ],
        "quote": ("The tea is the same. The way to market is wider.", "Zheng Zhonghua, chair of the cooperative"),
        "caption": "Tea gardens on the slopes of Shihegang",
    },
    "xinyang-red-summer-tea": {
        "title": "A new market for summer tea",
        "intro": "Summer and autumn leaves used to sell for little. Made into black tea, they have found a "
        "market of their own.",
        "author": "Zheng He, Farmcast editors",
        "sections": [
            (
                "From green to black",
                "Summer and autumn leaves are large and bitter, and make poor green tea. The cooperative "
                "brought in black tea methods and now makes Xinyang Hong, sweet with a honey note.",
            ),
            (
                "One more season's income",
                "Picking two more seasons a year gives the growers a steadier income.",
            ),
        ],
        "quote": (
            "Tea bushes grow all year. We can't sell only the spring.",
            "Wang Fang, the cooperative's agronomist",
        ),
        "caption": "Summer tea leaves withering",
    },
}


# --- Broadcasts: title, host, summary (chapter titles are the English ones in the clip) --------------

BROADCASTS_EN = {
    "wuchang-new-rice-live": {
        "title": "New Wuchang rice: opening the store, live",
        "host": "Xiaolin of Daoxiang",
        "summary": "The first show since the new rice went into store: milling and cooking it on camera, new "
        "rice side by side with last year's.",
    },
    "yangcheng-crab-night": {
        "title": "A night catching crabs on Yangcheng Lake",
        "host": "Agen the fisherman",
        "summary": "Out on the boat at night to haul the crab traps, then weighing and tagging the catch live.",
    },
    "anxi-autumn-tea": {
        "title": "Tasting Anxi's autumn tea",
        "host": "Uncle Lin, tea master",
        "summary": "Light and roasted Tieguanyin brewed side by side, and what gives autumn tea its fragrance.",
    },
    "xunwu-orange-picking-live": {
        "title": "Picking Xunwu navel oranges, live",
        "host": "Achen of the orange grove",
        "summary": "Picking in the grove, cutting fruit open to measure its sugar; orders ship the same day.",
    },
    "wuchang-rice-cooking": {
        "title": "Cooking class: Wuchang rice",
        "host": "Xiaolin of Daoxiang",
        "summary": "A good pot of Wuchang rice, step by step: rinsing, soaking, how much water, and resting it.",
    },
    "zhongning-goji-harvest": {
        "title": "Goji harvest in Zhongning",
        "host": "Ma Xiaoyan, the goji girl",
        "summary": "Picking the first flush of goji and drying it in the sun.",
    },
    "yanchi-lamb-kitchen": {
        "title": "Three ways with Tan lamb",
        "host": "Old Yang, the ranch cook",
        "summary": "Hand-pulled lamb, roast ribs and lamb hotpot, all in one show.",
    },
    "qixia-apple-orchard": {
        "title": "Unbagging the apples in Qixia, live",
        "host": "Wang Xiulan, the apple lady",
        "summary": "Taking off the bags, turning the fruit, laying reflective film: how Red Fuji apples get "
        "their colour.",
    },
    "meijiawu-tea-roasting": {
        "title": "Hand-roasting Longjing from start to finish",
        "host": "Zhu Xiaoyu of the tea garden",
        "summary": "Master Zhu shows the ten roasting moves, from fresh leaf to dry tea in one pan.",
    },
    "puer-tea-mountain": {
        "title": "Up the Pu'er tea mountain",
        "host": "Yan Xiang of the tea mountain",
        "summary": "A walk through a forest tea garden, and a look at sun-dried maocha.",
    },
    "korla-pear-storage": {
        "title": "Inside the pear cold store",
        "host": "Ali of the pear orchard",
        "summary": "How fragrant pears stay fresh until spring, with a pear cut open and tasted on camera.",
    },
    "fuling-zhacai-factory": {
        "title": "How zhacai is made",
        "host": "Ran Guangming, Brother Zhacai",
        "summary": "From the drying racks to the salting pools: three saltings and three pressings explained.",
    },
    "xinyang-maojian-spring": {
        "title": "Xinyang Maojian: the first spring picking",
        "host": "Zheng He of the tea country",
        "summary": "Live from the tea hills before Qingming: picking and roasting the new tea.",
    },
}


# --- Policy news: title, issuing authority, summary, body paragraphs ------------------------------

AUTHORITIES_EN = {
    "黑龙江省农业农村厅": "Heilongjiang Department of Agriculture and Rural Affairs",
    "哈尔滨市农业农村局": "Harbin Bureau of Agriculture and Rural Affairs",
    "五常市人民政府": "Wuchang Municipal People's Government",
    "黑龙江省商务厅": "Heilongjiang Department of Commerce",
    "江西省农业农村厅": "Jiangxi Department of Agriculture and Rural Affairs",
    "赣州市人民政府办公室": "General Office of the Ganzhou Municipal People's Government",
    "寻乌县农业农村局": "Xunwu County Bureau of Agriculture and Rural Affairs",
    "宁夏回族自治区农业农村厅": "Ningxia Department of Agriculture and Rural Affairs",
    "中卫市人民政府": "Zhongwei Municipal People's Government",
    "盐池县人民政府": "Yanchi County People's Government",
    "宁夏回族自治区商务厅": "Ningxia Department of Commerce",
    "吴忠市人民政府": "Wuzhong Municipal People's Government",
}

DEMO_NOTE_EN = "(Demo data: this is a sample, not a real government document.)"

POLICIES_EN = {
    "rice-brand-subsidy": {
        "title": "Subsidies for building geographical-indication rice brands",
        "summary": "Rice producers certified for a geographical indication, as green food or as organic receive "
        "a subsidy towards building their brand.",
        "body": [
            "Cooperatives, family farms and agricultural companies registered in the province may apply.",
            "A producer newly certified organic receives a one-off subsidy of 50,000 yuan; green food "
            "certification earns 20,000 yuan.",
            "Applications go first to the agriculture department of the county or county-level city for review.",
        ],
    },
    "livestream-training-2026": {
        "title": "2026 training programme for rural live-commerce hosts",
        "summary": "Free training for 3,000 places over the year: choosing products, filming, presenting live "
        "and after-sales service.",
        "body": [
            "Courses come at two levels, beginner and advanced, five days each; the organisers pay for board "
            "and lodging.",
            "Graduates may apply to join the provincial live-commerce base for farm produce.",
        ],
    },
    "cold-storage-grant": {
        "title": "Call for applications: cold storage near the farm",
        "summary": "New or enlarged low-temperature and controlled-atmosphere stores where the produce is grown "
        "receive a grant of 30% of their cost.",
        "body": [
            "The grant is at most 1 million yuan per producer.",
            "Projects must be finished and pass inspection by the end of November of the same year.",
        ],
    },
    "wuchang-rice-quality": {
        "title": "Rules for tracing the quality and safety of Wuchang rice",
        "summary": "Every bag of Wuchang rice carries its own trace code; rice not on the tracing platform may "
        "not use the geographical indication.",
        "body": [
            "The trace code records the plot, the variety, the harvest date and the milling lot.",
            "Market regulators sample the rice every quarter and publish the results.",
        ],
    },
    "farm-loan-discount": {
        "title": "Interest subsidies on loans to new farm businesses",
        "summary": "Loans that cooperatives and family farms take out for farming receive an interest subsidy "
        "of 2 percentage points a year.",
        "body": [
            "The subsidy runs for at most two years.",
            "These rules have expired; a later notice will set out the new interest subsidy.",
        ],
    },
    "black-soil-protection": {
        "title": "Payments for conservation tillage on black soil",
        "summary": "Plots farmed with no-till or reduced tillage under a straw mulch receive 40 yuan per mu.",
        "body": [
            "The area paid for is the area confirmed by satellite survey.",
            "The same plot may not be claimed twice.",
        ],
    },
    "harbin-logistics-hub": {
        "title": "Plan for a county, township and village delivery network",
        "summary": "By the end of the year every administrative village has a parcel service, and farm produce "
        "reaches the cities within 48 hours.",
        "body": [
            "Post offices, couriers and supply cooperative outlets are brought together in village service stations.",
        ],
    },
    "navel-orange-replanting": {
        "title": "Subsidies to fight citrus greening and replant navel orange groves",
        "summary": "Groves that remove diseased trees and replant with virus-free container seedlings receive "
        "800 yuan per mu.",
        "body": [
            "Seedlings must come from a nursery designated by the province.",
            "The grove must be netted against insects or take part in area-wide pest control.",
        ],
    },
    "ganzhou-livestream-base": {
        "title": "How Ganzhou recognises live-commerce bases for farm produce",
        "summary": "The city will recognise a number of live-commerce bases for farm produce and help with "
        "their rent and broadband costs.",
        "body": [
            "A base must sell at least 5 million yuan a year.",
            "Each base runs at least four free training courses a year.",
        ],
    },
    "orange-cold-chain": {
        "title": "Guidelines for navel orange packing centres",
        "summary": "Support for centres near the groves that wash, grade, wax and chill navel oranges under one roof.",
        "body": ["Projects that handle 5,000 tonnes a year or more come first."],
    },
    "xunwu-orange-insurance": {
        "title": "Xunwu premium subsidy for navel orange crop insurance",
        "summary": "Governments pay 70% of the premium for navel orange crop insurance; growers pay 30%.",
        "body": [
            "The policy covers frost, wind and hail.",
            "This round has expired; renewal arrangements will be announced separately.",
        ],
    },
    "jiangxi-land-transfer": {
        "title": "Guidelines for transferring the right to farm rural land",
        "summary": "A transfer of the right to farm land needs a written contract; model contracts are "
        "available from the county's rural economy station.",
        "body": [
            "A transfer may not run longer than what remains of the household's land contract.",
            "Transfers through the rural property exchange, in the open, are encouraged.",
        ],
    },
    "gannan-orange-standard": {
        "title": "Protecting Gannan navel orange as a geographical indication",
        "summary": "Sets out where Gannan navel oranges may come from, how the fruit is graded, and when the "
        "indication may be used.",
        "body": ["Fruit below 11.5 degrees Brix may not carry the geographical indication."],
    },
    "ganzhou-ecommerce-credit": {
        "title": "Risk compensation for unsecured loans to e-commerce sellers",
        "summary": "When an unsecured bank loan to a seller of farm produce online goes bad, a compensation "
        "fund bears half of the loss.",
        "body": ["A single borrower may receive at most 3 million yuan."],
    },
    "goji-industry-support": {
        "title": "Support for a better goji industry",
        "summary": "Support for standardised goji farms, green pest control and brand marketing; new "
        "standardised farms receive 500 yuan per mu.",
        "body": [
            "Farms record the inputs they use in the tracing system.",
            "Fumigating goji with sulphur is forbidden.",
        ],
    },
    "zhongwei-livestream-training": {
        "title": "Zhongwei enrols new farmers for live-selling courses",
        "summary": "Four free courses in selling live, for young people returning to the countryside and the "
        "heads of cooperatives.",
        "body": ["Each course takes 30 people; growers of goji and gravel-mulched melons come first."],
    },
    "tan-sheep-breeding": {
        "title": "Yanchi subsidies for Tan sheep breeding rams and rules to protect the breed",
        "summary": "Farmers who buy a purebred Tan breeding ram receive 1,500 yuan per ram.",
        "body": ["Rams must come from a core breeding farm recognised at county level or above."],
    },
    "ningxia-cold-chain-logistics": {
        "title": "Plan for a backbone cold-chain network for farm produce",
        "summary": "Cold-chain hubs across the main growing areas, so Tan lamb and fresh goji stay cold from "
        "farm to buyer.",
        "body": ["Each refrigerated truck bought receives a grant of 50,000 yuan."],
    },
    "ningxia-grassland-rotation": {
        "title": "Rules on grazing bans and rotational grazing",
        "summary": "Sets out where grazing is banned, the rotation periods and the payments for feeding "
        "animals in pens.",
        "body": ["These rules have been replaced by new ones."],
    },
    "wuzhong-agri-loan": {
        "title": "Wuzhong rules for guaranteed loans to local specialities",
        "summary": "Policy-backed loan guarantees for Tan sheep and dairy businesses, at a fee of no more than 1%.",
        "body": ["A single borrower may be guaranteed up to 5 million yuan."],
    },
}
