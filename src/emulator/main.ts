import { BASE_PATH } from '../upstream/routes.js';
import { type ActivitySettings, DEFAULT_ACTIVITY_SEED } from './activity.js';
import { EMULATOR_USAGE, type EmulatorCli, OptionsError, parseEmulatorArgs } from './options.js';
import { startEmulator } from './server.js';

const activityLine = ({ rate, seed }: ActivitySettings): string =>
  `about ${rate} events a second (seed ${seed ?? DEFAULT_ACTIVITY_SEED})`;

/** `npm run emulator`: the Openfire REST API emulator on its own. */
async function main(): Promise<void> {
  let cli: EmulatorCli;
  try {
    cli = parseEmulatorArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof OptionsError)) throw error;
    process.stderr.write(`emulator: ${error.message}\n\n${EMULATOR_USAGE}`);
    process.exit(2);
  }
  if (cli.help) {
    process.stdout.write(EMULATOR_USAGE);
    return;
  }
  const emulator = await startEmulator(cli);
  const properties = new Map(emulator.snapshot().properties);
  const credential =
    properties.get('plugin.restapi.httpAuth') === 'basic'
      ? 'HTTP Basic with an admin user (demo data: admin / admin)'
      : `Authorization: ${properties.get('plugin.restapi.secret') ?? ''}`;
  // Set before the ready line: a signal sent as soon as it is printed must find the handler.
  const stop = (): void => {
    emulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  process.stdout.write(
    `Openfire REST API emulator listening on ${emulator.url}${BASE_PATH}\n` +
      `  credential: ${credential}\n` +
      (cli.control ? `  control plane: ${emulator.url}/__emulator/stats\n` : '') +
      (cli.dataFile ? `  data file: ${cli.dataFile}\n` : '') +
      (cli.activity ? `  simulated clients: ${activityLine(cli.activity)}\n` : ''),
  );
}

await main();
