/**
 * A small territory whose geometry can be checked by hand: one city, one district, one street, one
 * community of 0.002° × 0.002° split into four 0.001° grids (about 94 m × 111 m each at 32° N).
 *   grid 001 = SW [118.800,32.000]–[118.801,32.001]   grid 002 = SE [118.801,32.000]–[118.802,32.001]
 *   grid 003 = NW [118.800,32.001]–[118.801,32.002]   grid 004 = NE [118.801,32.001]–[118.802,32.002]
 */
export const FIXTURE = {
  city: '990100',
  district: '990102',
  street: '990102001',
  community: '990102001001',
  grids: ['990102001001001', '990102001001002', '990102001001003', '990102001001004'],
} as const;

export function square(minLon: number, minLat: number, size: number) {
  return {
    type: 'Polygon',
    coordinates: [[[minLon, minLat], [minLon + size, minLat], [minLon + size, minLat + size], [minLon, minLat + size], [minLon, minLat]]],
  };
}

export function fixtureTerritory() {
  const whole = square(118.8, 32.0, 0.002);
  const feature = (code: string, name: string, level: string, parent: string | null, geometry: unknown, areaClass?: number) => ({
    type: 'Feature', properties: { code, name, level, parent_code: parent, ...(areaClass ? { area_class: areaClass } : {}) }, geometry,
  });
  return {
    type: 'FeatureCollection',
    features: [
      feature(FIXTURE.city, '测试市', 'city', null, whole, 2),
      feature(FIXTURE.district, '测试区', 'district', FIXTURE.city, whole),
      feature(FIXTURE.street, '测试街道', 'street', FIXTURE.district, whole),
      feature(FIXTURE.community, '测试社区', 'community', FIXTURE.street, whole, 1),
      feature(FIXTURE.grids[0], '网格一', 'grid', FIXTURE.community, square(118.8, 32.0, 0.001)),
      feature(FIXTURE.grids[1], '网格二', 'grid', FIXTURE.community, square(118.801, 32.0, 0.001)),
      feature(FIXTURE.grids[2], '网格三', 'grid', FIXTURE.community, square(118.8, 32.001, 0.001), 3),
      feature(FIXTURE.grids[3], '网格四', 'grid', FIXTURE.community, square(118.801, 32.001, 0.001)),
    ],
  };
}
