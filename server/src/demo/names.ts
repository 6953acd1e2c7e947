import { pick, type Random } from '@cityops/domain/random';

/**
 * Word pools for the demo city's place names. The names follow real naming habits (路名街道, 镇, 社区
 * named after estates, 村 named after clans and landforms) but the city and its places are fictional;
 * any coincidence with a real place of the same (common) name is only that.
 */

export const CITY_NAMES = ['澜江市', '云澜市', '清澜市', '临澜市', '澄川市', '江澄市'] as const;

/**
 * District names by position. The urban core sits on the south bank of a river (the city's north
 * edge), so the river names go to the north-west; the rest are neutral or match their side.
 */
export const DISTRICT_NAMES = {
  urbanNorthWest: ['临江区', '鼓楼区', '望江区', '云台区'],
  urbanNorthEast: ['滨江区', '城东区', '玉泉区', '金川区'],
  urbanSouthWest: ['城西区', '新城区', '凤凰区', '清河区'],
  urbanSouthEast: ['高新区', '经开区', '城南区', '滨湖区'],
  countyWest: ['青石县', '西山县', '云岭县', '白沙县'],
  countySouth: ['南湖县', '桃溪县', '石门县', '清溪县'],
  countyEast: ['东山县', '松岗县', '梅岭县', '龙泉县'],
} as const;

const ROADS = [
  '解放', '人民', '中山', '建设', '和平', '胜利', '新华', '文化', '长江', '朝阳', '光明', '友谊', '团结', '幸福', '工农',
  '青年', '红旗', '中华', '民主', '复兴', '振兴', '东风', '永安', '太平', '兴隆', '繁荣', '迎宾', '学府', '建国',
];

/** Urban street names: place-like first and second characters. */
const STREET_FIRST = [...'滨湖江河桥塔园山金银玉翠锦龙凤鹤松梅兰桂柳枫月星云紫白青清新东西南北'];
const STREET_SECOND = [...'江湖河桥门园山岭塘湾洲坊苑林泉溪港亭台关口城街'];

const TOWN_FIRST = [...'石柳杨桃李梅松竹龙凤马牛黄白青红高大长双三新古沙花茶盐枣'];
const TOWN_SECOND = [...'桥塘湾集店铺岗坝河湖山岭庄营寨口渡埠墩溪林坪'];

const ESTATE_FIRST = [...'锦翠丽华康安和祥瑞福泰嘉怡雅景春秋明晨阳绿碧金银玉桂兰梅荷芳文育德仁'];
const ESTATE_SECOND = [...'苑园庭府城居里坊湾轩院馨华景林'];

const SURNAMES = [...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蒋'];
const VILLAGE_PLACES = [...'庄湾圩营店集桥洼岗坝塘寨楼墩埠沟'];
const VILLAGE_FIRST = [...'石柳杨桃梅松竹龙凤马牛黄白青红高大长双新古沙花茶枣'];

const CHINESE_ORDINALS = ['', '', '二', '三', '四', '五', '六', '七', '八', '九'];

/** Draws candidate names until one is unused in the set (names are unique within their parent). */
export function uniqueName(random: Random, used: Set<string>, draw: () => { stem: string; suffix: string }): string {
  for (let attempt = 0; attempt < 40; attempt++) {
    const { stem, suffix } = draw();
    const name = stem + suffix;
    if (!used.has(name)) {
      used.add(name);
      return name;
    }
  }
  // Pools this large rarely collide 40 times; then number the stem, as real places do (王庄二村).
  const { stem, suffix } = draw();
  for (let n = 2; ; n++) {
    const name = `${stem}${n < CHINESE_ORDINALS.length ? CHINESE_ORDINALS[n] : n}${suffix}`;
    if (!used.has(name)) {
      used.add(name);
      return name;
    }
  }
}

function twoChars(random: Random, first: readonly string[], second: readonly string[]): string {
  const a = pick(random, first);
  let b = pick(random, second);
  while (b === a) b = pick(random, second);
  return a + b;
}

/** 解放路街道, 滨江街道, … */
export function streetName(random: Random, used: Set<string>): string {
  return uniqueName(random, used, () =>
    random() < 0.35 ? { stem: `${pick(random, ROADS)}路`, suffix: '街道' } : { stem: twoChars(random, STREET_FIRST, STREET_SECOND), suffix: '街道' },
  );
}

/** 石桥镇, 柳塘镇, … (the county seat is named 城关镇 by the caller). */
export function townName(random: Random, used: Set<string>): string {
  return uniqueName(random, used, () => ({ stem: twoChars(random, TOWN_FIRST, TOWN_SECOND), suffix: '镇' }));
}

/** 锦苑社区, 人民路社区, 翠湖东社区, … */
export function communityName(random: Random, used: Set<string>): string {
  return uniqueName(random, used, () => {
    const roll = random();
    if (roll < 0.2) return { stem: `${pick(random, ROADS)}路`, suffix: '社区' };
    if (roll < 0.3) return { stem: `${twoChars(random, STREET_FIRST, STREET_SECOND)}${pick(random, ['东', '西', '南', '北'])}`, suffix: '社区' };
    if (roll < 0.4) return { stem: `${twoChars(random, ESTATE_FIRST, ESTATE_SECOND)}新村`, suffix: '社区' };
    return { stem: twoChars(random, ESTATE_FIRST, ESTATE_SECOND), suffix: '社区' };
  });
}

/** 张家湾村, 王庄村, 石桥村, … */
export function villageName(random: Random, used: Set<string>): string {
  return uniqueName(random, used, () => {
    const roll = random();
    if (roll < 0.4) return { stem: `${pick(random, SURNAMES)}家${pick(random, VILLAGE_PLACES)}`, suffix: '村' };
    if (roll < 0.7) return { stem: `${pick(random, SURNAMES)}${pick(random, VILLAGE_PLACES)}`, suffix: '村' };
    return { stem: `${pick(random, VILLAGE_FIRST)}${pick(random, VILLAGE_PLACES)}`, suffix: '村' };
  });
}

/** 锦苑社区第3网格 */
export function gridName(communityName: string, sequence: number): string {
  return `${communityName}第${sequence}网格`;
}

/** Shop names (沿街商铺): a shop's word and its trade, as on a signboard. */
const SHOP_WORDS = ['鑫源', '惠民', '锦华', '福满', '老街坊', '好运来', '聚丰', '百味', '金鼎', '永兴', '佳美', '天天', '顺发', '如意', '祥和', '万家', '丰泰', '宏达', '新概念', '缘来', '益民', '隆兴', '春晖', '悦来'];
const SHOP_TRADES = ['餐馆', '便利店', '五金店', '水果店', '面馆', '大药房', '理发店', '超市', '茶叶店', '烟酒店', '服装店', '小吃店', '烧烤店', '眼镜店', '花店', '粮油店', '快餐店', '早餐店', '干洗店', '汽修店', '手机店', '建材店'];

/** 鑫源餐馆, 惠民便利店, …: unique along one road (a second 鑫源餐馆 there is 鑫源二餐馆). */
export function shopName(random: Random, used: Set<string>): string {
  return uniqueName(random, used, () => ({ stem: pick(random, SHOP_WORDS), suffix: pick(random, SHOP_TRADES) }));
}
