import winston from 'winston';

/** Intercambio con la clínica asociada en Valencia y el laboratorio de Milán. */
interface Resultado {
  id: string;
  prueba: string;
  valor: number;
  unidad: string;
}

interface Referto {
  id: string;
  esame: string;
  esito: string;
  diagnosi?: string;
}

const logger = winston.createLogger({ transports: [new winston.transports.Console()] });

export async function enviarResultado(resultado: Resultado, paciente: { nombre: string; apellido: string }) {
  // ruleid: health-data-in-logs
  console.log('Resultado recibido', resultado);
  // ok: health-data-in-logs
  console.log(`Resultado ${resultado.id} recibido`);
  // ruleid: health-data-to-third-party
  await fetch('https://hooks.clinica-asociada.example.es/resultados', { method: 'POST', body: JSON.stringify({ paciente: `${paciente.nombre} ${paciente.apellido}`, prueba: resultado.prueba, valor: resultado.valor }) });
}

export function registraReferto(referto: Referto) {
  // ruleid: health-data-in-logs
  logger.warn(`Referto ${referto.id}: ${referto.esame} -> ${referto.diagnosi ?? referto.esito}`);
  // ok: health-data-in-logs
  logger.info(`Referto ${referto.id} archiviato`);
}
