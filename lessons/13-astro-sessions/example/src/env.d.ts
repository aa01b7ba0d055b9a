// What this project keeps in Astro.session: `get` and `set` are typed by these keys.
// #region session-data
declare namespace App {
  interface SessionData {
    pageViews: number;
    firstName: string;
    lastName: string;
  }
}
// #endregion session-data
