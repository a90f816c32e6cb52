/** Small word lists the factories draw from: plausible, varied, and free of real people or firms. */

// prettier-ignore
export const FIRST_NAMES = [
  'Ada', 'Amara', 'Benjamin', 'Carmen', 'Chloe', 'Daniel', 'Elena', 'Farah', 'Gabriel', 'Hannah',
  'Hiro', 'Isabel', 'Jonas', 'Julia', 'Kwame', 'Leila', 'Lucas', 'Maya', 'Mateo', 'Nadia',
  'Noah', 'Olivia', 'Omar', 'Priya', 'Rafael', 'Sofia', 'Tomas', 'Uma', 'Victor', 'Yara',
] as const;

// prettier-ignore
export const LAST_NAMES = [
  'Abbott', 'Alvarez', 'Bennett', 'Brooks', 'Castillo', 'Chen', 'Dubois', 'Ellison', 'Fischer', 'Garcia',
  'Hansen', 'Ibrahim', 'Jensen', 'Kowalski', 'Laurent', 'Mehta', 'Moreau', 'Nakamura', 'Okafor', 'Patel',
  'Quinn', 'Rossi', 'Schmidt', 'Tanaka', 'Underwood', 'Vargas', 'Whitaker', 'Xu', 'Yilmaz', 'Zimmerman',
] as const;

// prettier-ignore
export const TITLES = [
  'Managing Director', 'Partner', 'Chief Investment Officer', 'Investment Director', 'Vice President',
  'Principal', 'Portfolio Manager', 'Head of Private Markets', 'Investment Analyst', 'Trustee',
] as const;

// prettier-ignore
export const ORGANIZATION_WORDS = [
  'Alder', 'Beacon', 'Cedar', 'Crescent', 'Evergreen', 'Granite', 'Harbor', 'Juniper', 'Keystone', 'Lakeside',
  'Meridian', 'Northgate', 'Oakmont', 'Pinecrest', 'Ridgeline', 'Silverline', 'Stonebridge', 'Tidewater',
] as const;

export const ORGANIZATION_SUFFIXES = [
  'Capital',
  'Partners',
  'Family Office',
  'Endowment',
  'Foundation',
  'Holdings',
  'Advisors',
  'Trust',
] as const;

export const CITIES: readonly (readonly [city: string, state: string | null, country: string])[] = [
  ['New York', 'NY', 'United States'],
  ['Boston', 'MA', 'United States'],
  ['San Francisco', 'CA', 'United States'],
  ['Chicago', 'IL', 'United States'],
  ['Austin', 'TX', 'United States'],
  ['Toronto', 'ON', 'Canada'],
  ['London', null, 'United Kingdom'],
  ['Zurich', null, 'Switzerland'],
  ['Singapore', null, 'Singapore'],
];

// prettier-ignore
export const SUBJECTS = [
  'Intro call', 'Quarterly update', 'Fund overview deck', 'Follow-up on data room', 'Annual meeting',
  'Reference call', 'Term sheet questions', 'Capital call notice', 'Portfolio review', 'Coffee catch-up',
] as const;

export const TAG_COLORS = [
  '#dc2626',
  '#ea580c',
  '#16a34a',
  '#0891b2',
  '#2563eb',
  '#9333ea',
  '#64748b',
] as const;
