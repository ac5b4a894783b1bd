import { accessSync, constants } from 'node:fs';

export const CHROMIUM = '/usr/bin/chromium';
export const PDFTOTEXT = '/usr/bin/pdftotext';
export const PDFINFO = '/usr/bin/pdfinfo';

/**
 * Why a test needing `path` cannot run, or null when it can. Missing on CI is a failure (CI installs
 * the package: a skipped test there would hide a broken setup); elsewhere the test is skipped.
 */
export function missingTool(path: string, debianPackage: string): string | null {
  try {
    accessSync(path, constants.X_OK);
    return null;
  } catch {
    const message = `${path} is missing: install the Debian package "${debianPackage}" (apt-get install -y ${debianPackage})`;
    if (process.env.CI) throw new Error(message);
    console.warn(`skipping: ${message}`);
    return message;
  }
}
