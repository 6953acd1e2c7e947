// The roles of PRODUCT.md §1 plus the platform administrator who keeps the base data
// (territory, catalog, calendar, users). Labels feed the UI in both languages.
export const ROLES = {
  admin: { zh: '系统管理员', en: 'Administrator' },
  evaluation_office: { zh: '考评办', en: 'Evaluation office' },
  acceptor: { zh: '受理员', en: 'Acceptor' },
  shift_chief: { zh: '值班长', en: 'Shift chief' },
  dispatcher: { zh: '派遣员', en: 'Dispatcher' },
  inspector: { zh: '监督员', en: 'Inspector' },
  department: { zh: '专业部门', en: 'Department' },
  territory_government: { zh: '属地政府', en: 'Territory government' },
  third_party_evaluator: { zh: '第三方测评', en: 'Third-party evaluator' },
  leader: { zh: '领导', en: 'Leader' },
  public: { zh: '市民', en: 'Public' },
} as const;

export type Role = keyof typeof ROLES;
export const ROLE_NAMES = Object.keys(ROLES) as Role[];

export function isRole(value: string): value is Role {
  return Object.hasOwn(ROLES, value);
}

/**
 * What scope a grant of each role must carry. A department user acts for one department; a
 * territory government for one territory node; the others for a territory subtree (the whole city
 * when the node is the city).
 */
export const ROLE_SCOPE: Record<Role, 'territory' | 'department' | 'none'> = {
  admin: 'territory',
  evaluation_office: 'territory',
  acceptor: 'territory',
  shift_chief: 'territory',
  dispatcher: 'territory',
  inspector: 'territory',
  department: 'department',
  territory_government: 'territory',
  third_party_evaluator: 'territory',
  leader: 'territory',
  public: 'none',
};
