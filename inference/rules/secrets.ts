/**
 * Credential and API-key shapes. A live secret in agent-to-agent traffic is
 * a leak in progress whatever the intent, so these are exfiltration rules.
 * Patterns follow the providers' published key formats; matching is case-sensitive.
 */
import { re, type Rule } from './types.js';

function keyRule(id: string, description: string, severity: number, keywords: string[], pattern: string, example: string, counter: string): Rule {
  return {
    id: `exfiltration.secret-${id}`,
    category: 'exfiltration',
    severity,
    description,
    keywords,
    patterns: [re(pattern, '')],
    examples: [example],
    counterExamples: [counter],
  };
}

// Example keys below are synthetic (right shape, random characters).
export const SECRET_RULES: readonly Rule[] = [
  keyRule('private-key', 'A PEM private key block.', 0.8, ['private key'], '-----BEGIN (?:RSA |EC |DSA |OPENSSH |PGP |ENCRYPTED )?PRIVATE KEY(?: BLOCK)?-----',
    '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA', '-----BEGIN CERTIFICATE-----'),
  keyRule('aws-access-key', 'An AWS access key id.', 0.7, ['akia', 'asia'], '\\b(?:AKIA|ASIA)[0-9A-Z]{16}\\b', 'key=AKIAQ3EGRV7NWL5XK2PD', 'AKIA is a prefix'),
  keyRule('github-token', 'A GitHub token.', 0.7, ['gh', 'github_pat_'], '\\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{60,})\\b',
    'token ghp_x8Kq2LmN4pR7sT1vW3yZ5aB6cD9eF0gH2jK4', 'the ghp_ prefix'),
  keyRule('openai-key', 'An OpenAI or Anthropic API key.', 0.7, ['sk-'], '\\bsk-(?:proj-|ant-(?:api\\d\\d-)?|svcacct-)?[A-Za-z0-9_-]{32,}\\b',
    'OPENAI_API_KEY=sk-proj-4fG7hJ9kL2mN5pQ8rS1tU3vW6xY0zA2bC4dE', 'sk-learn is a library'),
  keyRule('slack-token', 'A Slack token.', 0.7, ['xox'], '\\bxox[abposr]-[A-Za-z0-9-]{10,}\\b', 'xoxb-2048-1024-q7Wz3Xy9Pk', 'xox is a game'),
  keyRule('google-api-key', 'A Google API key.', 0.7, ['aiza'], '\\bAIza[0-9A-Za-z_-]{35}\\b', 'AIzaSyD4f8Kq2LmN4pR7sT1vW3yZ5aB6cD9eF0g', 'AIza'),
  keyRule('stripe-key', 'A live Stripe secret key.', 0.7, ['sk_live_', 'rk_live_'], '\\b[rs]k_live_[0-9A-Za-z]{24,}\\b', 'sk_live_4eC39HqLyjWDarjtT1zdp7dc', 'sk_test_ keys are for testing'),
  keyRule('jwt', 'A JSON Web Token (bearer credential).', 0.45, ['eyj'], '\\beyJ[A-Za-z0-9_-]{10,}\\.eyJ[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]{10,}',
    'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U', 'eyJ is base64 for {"'),
];
