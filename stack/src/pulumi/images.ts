import * as docker from '@pulumi/docker';
import * as pulumi from '@pulumi/pulumi';
import { imageRef, type OwnImage, type StackSettings } from '../definition/settings.js';
import { imagesFor, ownImages, repoRoot } from '../deployer/images.js';
import type { RegistryLogin } from './registry.js';

export interface ImagesArgs {
  /** The stack settings: image repository names and registry prefix. */
  settings: StackSettings;
  login: RegistryLogin;
}

/**
 * Builds and pushes our images (the deployer's list of Dockerfiles), tagged by git sha. Their digests, not just
 * their tags, are what the deployment watches, so a rebuild under the same tag still rolls out.
 */
export class Images extends pulumi.ComponentResource {
  /** `name@sha256:…` per image, known once pushed. */
  readonly digests: Partial<Record<OwnImage, pulumi.Output<string>>>;

  constructor(name: string, args: ImagesArgs, opts?: pulumi.ComponentResourceOptions) {
    super('taskstack:do:Images', name, {}, opts);
    const { settings } = args;
    const { server, username, password } = args.login;
    const digests: Partial<Record<OwnImage, pulumi.Output<string>>> = {};
    for (const image of imagesFor(settings)) {
      const built = new docker.Image(
        `${name}-${image}`,
        {
          imageName: imageRef(settings, image),
          build: {
            context: repoRoot,
            dockerfile: `${repoRoot}${ownImages[image].dockerfile}`,
            target: ownImages[image].target,
            platform: 'linux/amd64',
          },
          registry: { server, username, password },
        },
        { parent: this },
      );
      digests[image] = built.repoDigest;
    }
    this.digests = digests;
    this.registerOutputs({ digests });
  }
}
