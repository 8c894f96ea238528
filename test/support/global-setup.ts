import { chooseDialects } from './databases';

export default async function globalSetup(): Promise<void> {
  process.env.TEST_DIALECTS = (await chooseDialects()).join(',');
}
