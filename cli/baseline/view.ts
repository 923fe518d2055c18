/**
 * The `cloudtrail` view over local files: the columns of the Athena CloudTrail table (lower-case names, JSON
 * fields as strings) plus its partition columns `account`, `region`, `day`, taken from the path when it follows
 * the AWSLogs layout, else from the record (recipientAccountId, awsRegion, eventTime's day).
 */
import { LAYOUT_PATTERN, type TrailFile } from './files';

const SESSION_ISSUER = 'STRUCT(type VARCHAR, principalId VARCHAR, arn VARCHAR, accountId VARCHAR, userName VARCHAR)';
const USER_IDENTITY =
  'STRUCT(type VARCHAR, principalId VARCHAR, arn VARCHAR, accountId VARCHAR, invokedBy VARCHAR, accessKeyId VARCHAR, ' +
  `userName VARCHAR, sessionContext STRUCT(attributes STRUCT(mfaAuthenticated VARCHAR, creationDate VARCHAR), sessionIssuer ${SESSION_ISSUER}))`;

/** The record type read from each file's `Records` array (keys as CloudTrail writes them). */
export const RECORD_TYPE =
  `STRUCT(eventVersion VARCHAR, userIdentity ${USER_IDENTITY}, eventTime VARCHAR, eventSource VARCHAR, ` +
  'eventName VARCHAR, awsRegion VARCHAR, sourceIPAddress VARCHAR, userAgent VARCHAR, errorCode VARCHAR, ' +
  'errorMessage VARCHAR, requestParameters JSON, responseElements JSON, additionalEventData JSON, requestID VARCHAR, ' +
  'eventID VARCHAR, readOnly VARCHAR, resources STRUCT(ARN VARCHAR, accountId VARCHAR, type VARCHAR)[], ' +
  'eventType VARCHAR, recipientAccountId VARCHAR, sharedEventID VARCHAR, vpcEndpointId VARCHAR, eventCategory VARCHAR)';

/** CloudTrail files can be large once decompressed; one file is one JSON object. */
const MAX_OBJECT_SIZE = 2 ** 30;

function literal(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** `CREATE OR REPLACE VIEW <name>` over exactly `files` (callers prune by day first). */
export function cloudTrailViewSql(files: readonly TrailFile[], name = 'cloudtrail'): string {
  if (files.length === 0) throw new Error('cloudTrailViewSql: no files to read');
  const list = `[${files.map((f) => literal(f.path)).join(', ')}]`;
  const layout = literal(LAYOUT_PATTERN);
  const fromPath = (group: number) => `nullif(regexp_extract(filename, ${layout}, ${group}), '')`;
  return `CREATE OR REPLACE VIEW ${name} AS
SELECT
  r.eventVersion AS eventversion,
  r.userIdentity AS useridentity,
  r.eventTime AS eventtime,
  r.eventSource AS eventsource,
  r.eventName AS eventname,
  r.awsRegion AS awsregion,
  r.sourceIPAddress AS sourceipaddress,
  r.userAgent AS useragent,
  r.errorCode AS errorcode,
  r.errorMessage AS errormessage,
  CAST(r.requestParameters AS VARCHAR) AS requestparameters,
  CAST(r.responseElements AS VARCHAR) AS responseelements,
  CAST(r.additionalEventData AS VARCHAR) AS additionaleventdata,
  r.requestID AS requestid,
  r.eventID AS eventid,
  r.readOnly AS readonly,
  r.resources AS resources,
  r.eventType AS eventtype,
  r.recipientAccountId AS recipientaccountid,
  r.sharedEventID AS sharedeventid,
  r.vpcEndpointId AS vpcendpointid,
  r.eventCategory AS eventcategory,
  coalesce(${fromPath(1)}, r.recipientAccountId) AS account,
  coalesce(${fromPath(2)}, r.awsRegion) AS region,
  coalesce(${fromPath(3)}, replace(substr(r.eventTime, 1, 10), '-', '/')) AS day
FROM (
  SELECT unnest(Records) AS r, filename
  FROM read_json(${list}, columns = {'Records': '${RECORD_TYPE}[]'}, filename = true,
    maximum_object_size = ${MAX_OBJECT_SIZE})
)`;
}
