/** Where alerts go: tag names to read and the owner→channel map. */
export interface AlertRouting {
  /** The resource's tags (ECR tag keys and values are case-sensitive). */
  readonly tags: Readonly<Record<string, string>>;
  /** Tag keys naming the owner, tried in order (e.g. `owner`, `team`). */
  readonly ownerTagKeys: readonly string[];
  /** Tag key naming the Slack channel directly (e.g. `slack-channel`). */
  readonly channelTagKey: string | undefined;
  /** Owner (as tagged) → channel. */
  readonly ownerChannels: Readonly<Record<string, string>>;
  /** Where an alert goes when nothing more specific applies. */
  readonly defaultChannel: string;
}

/** The channel chosen for an alert and why. */
export interface AlertRoute {
  readonly channel: string;
  readonly via: "channel-tag" | "owner-map" | "default";
  /** The owner read from the tags, when there is one (even if it has no channel). */
  readonly owner: string | undefined;
}

/**
 * Chooses the channel of a resource's alerts: the channel tag when set; else the channel the map
 * gives the first owner tag that has one; else the default channel. Blank tag values count as
 * absent. Tag keys are matched exactly, as ECR tag keys are case-sensitive.
 *
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/ecr-using-tags.html
 */
export function routeAlert(routing: AlertRouting): AlertRoute {
  const owners = routing.ownerTagKeys
    .map((key) => tagValue(routing.tags, key))
    .filter((owner): owner is string => owner !== undefined);
  const owner = owners[0];
  const tagged =
    routing.channelTagKey === undefined ? undefined : tagValue(routing.tags, routing.channelTagKey);
  if (tagged !== undefined) return { channel: tagged, via: "channel-tag", owner };
  for (const candidate of owners) {
    const channel = routing.ownerChannels[candidate];
    if (channel !== undefined && Object.hasOwn(routing.ownerChannels, candidate)) {
      return { channel, via: "owner-map", owner: candidate };
    }
  }
  return { channel: routing.defaultChannel, via: "default", owner };
}

function tagValue(tags: Readonly<Record<string, string>>, key: string): string | undefined {
  if (!Object.hasOwn(tags, key)) return undefined;
  const value = tags[key]?.trim();
  return value === undefined || value === "" ? undefined : value;
}
