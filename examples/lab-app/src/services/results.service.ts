import axios from 'axios';
import { logger } from './logger';

export interface LabResult {
  id: string;
  tubeBarcode: string;
  loincCode: string;
  label: string;
  value: string;
  unit: string;
  interpretation: 'N' | 'L' | 'H' | 'POS' | 'NEG';
}

const LIS_INTERNAL = 'https://lis.biolab.internal:8443/api';

/** Called when an analyser sends a result. */
export async function receiveResult(result: LabResult): Promise<void> {
  // The message string gets round pino's redact: the value is written in clear.
  logger.info(`Result ${result.label} = ${result.value} ${result.unit} (${result.interpretation})`);
  // Fine: ids and barcodes only.
  logger.info({ resultId: result.id, tube: result.tubeBarcode }, 'result received');

  // Sent to the laboratory's own information system over TLS: internal host, not reported.
  await fetch(`${LIS_INTERNAL}/results`, { method: 'POST', body: JSON.stringify(result) });

  if (result.interpretation === 'POS') {
    // An external chat webhook receives the result.
    await fetch('https://hooks.chat.example.com/services/T000/B000/demo', {
      method: 'POST',
      body: JSON.stringify({ text: `Positive ${result.label}: ${result.value}` }),
    });
  }
}

/** Patient notification through an SMS provider. */
export async function notifyPatient(phone: string, result: LabResult): Promise<void> {
  await axios.post('https://api.sms-provider.example.com/v1/messages', {
    to: phone,
    text: `Your ${result.label} result: ${result.value} ${result.unit}`,
  });
}
