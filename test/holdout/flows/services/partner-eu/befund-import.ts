import axios from 'axios';
import pino from 'pino';

/** Import of reports from the partner laboratory in Munich (German field names from their API). */
interface Befund {
  id: string;
  auftragsnummer: string;
  diagnose: string;
  laborwerte: { parameter: string; wert: string; einheit: string }[];
}

interface Patientin {
  nachname: string;
  vorname: string;
  geburtsdatum: string;
}

const log = pino({ name: 'partner-de' });
const laborDienst = axios.create({ baseURL: 'http://laborwerte-dienst:3000' });

export async function importiereBefund(befund: Befund, patientin: Patientin) {
  // ok: health-data-in-logs
  log.info(`Befund ${befund.id} importiert (Auftrag ${befund.auftragsnummer}, ${befund.laborwerte.length} Werte)`);
  // ruleid: health-data-in-logs
  log.info(`Befund für ${patientin.nachname}: ${befund.diagnose}`);
  // ok: health-data-to-third-party
  await laborDienst.post('/befunde', befund);
  // ruleid: health-data-to-third-party
  await axios.post('https://api.zweitmeinung.example.de/v1/faelle', { diagnose: befund.diagnose, werte: befund.laborwerte });
}
