// What GET /dev/api/setup gives the simulator page: its texts in every language and the rich
// menu the channel would have. Types only, shared by the server and the browser script.

export type SimulatorLanguage = 'ja' | 'en' | 'ko';

/** The simulator's own texts (src/i18n/locales/<language>/simulator.json), `{{name}}` placeholders unfilled. */
export type SimulatorLabels = Record<string, string>;

interface RichMenuArea {
  /** In the image's pixels (LINE's 2500 × 1686 large menu). */
  bounds: { x: number; y: number; width: number; height: number };
  /** Sent as the user's message when tapped, as LINE does for a message action. */
  text: string;
  labels: Record<SimulatorLanguage, string>;
}

export interface SimulatorSetup {
  languages: { code: SimulatorLanguage; name: string }[];
  labels: Record<SimulatorLanguage, SimulatorLabels>;
  richMenu: { imageUrl: string; width: number; height: number; chatBarText: string; areas: RichMenuArea[] };
  /** The demo shop's owner, whom any browser may chat as; null until the first user claimed the shop. */
  shopOwner: { id: string; name: string | null } | null;
}
