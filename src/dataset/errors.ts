import { JarvixError } from '../errors/index.js';

/** A row does not fit its table: wrong type, missing required value, or a column the schema lacks. */
export class DatasetRowError extends JarvixError {
  readonly table: string;
  readonly column: string;
  /** Position of the row in the batch given to `append`. */
  readonly rowIndex: number;
  constructor(code: 'JVX_ERR_DATASET_ROW_INVALID' | 'JVX_ERR_DATASET_COLUMN_UNKNOWN', table: string, column: string, rowIndex: number, detail: string) {
    super(code, `dataset ${table} row ${rowIndex} column ${column}: ${detail}`);
    this.table = table;
    this.column = column;
    this.rowIndex = rowIndex;
  }
}

export class DatasetTableError extends JarvixError {
  readonly table: string;
  constructor(table: string) {
    super('JVX_ERR_DATASET_TABLE_UNKNOWN', `unknown dataset table ${JSON.stringify(table)}`);
    this.table = table;
  }
}

/** publish() was asked for a shard that is neither staged nor already published. */
export class ShardMissingError extends JarvixError {
  readonly shard: string;
  constructor(shard: string) {
    super('JVX_ERR_DATASET_SHARD_MISSING', `shard ${shard} is neither staged nor published`);
    this.shard = shard;
  }
}

/** A shard name that is not one this writer produces (or of another worker). */
export class ShardNameError extends JarvixError {
  readonly shard: string;
  constructor(shard: string, detail: string) {
    super('JVX_ERR_DATASET_SHARD_NAME', `bad shard name ${JSON.stringify(shard)}: ${detail}`);
    this.shard = shard;
  }
}

export class DatasetClosedError extends JarvixError {
  constructor() {
    super('JVX_ERR_DATASET_CLOSED', 'dataset writer is closed');
  }
}
